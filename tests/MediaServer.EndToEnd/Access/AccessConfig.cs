namespace MediaServer.EndToEnd.Access;

/// <summary>
/// Two households and an operator, as command-line configuration: a camera account that may
/// publish anywhere, alice who reads home1, bob who reads home2, ops with the API and metrics;
/// and the shared secret of bearer tokens.
/// </summary>
internal static class AccessConfig
{
    public static readonly string[] Arguments =
    [
        "--Auth:Users:0:Name=camera", "--Auth:Users:0:Password=cam-secret", "--Auth:Users:0:Permissions:0:Action=publish",
        "--Auth:Users:1:Name=alice", "--Auth:Users:1:Password=alice-pw",
        "--Auth:Users:1:Permissions:0:Action=read", "--Auth:Users:1:Permissions:0:Path=~^home1/",
        "--Auth:Users:1:Permissions:1:Action=api",
        "--Auth:Users:2:Name=bob", "--Auth:Users:2:Password=bob-pw",
        "--Auth:Users:2:Permissions:0:Action=read", "--Auth:Users:2:Permissions:0:Path=~^home2/",
        "--Auth:Users:3:Name=ops", "--Auth:Users:3:Password=ops-pw",
        "--Auth:Users:3:Permissions:0:Action=metrics", "--Auth:Users:3:Permissions:1:Action=api",
        $"--Auth:JwtSecret={TestJwt.Secret}",
    ];

    public static string CameraUrl(MediaServerHost host, string path) => $"rtsp://camera:cam-secret@127.0.0.1:{host.RtspPort}/{path}";

    public static System.Net.Http.Headers.AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{password}")));
}
