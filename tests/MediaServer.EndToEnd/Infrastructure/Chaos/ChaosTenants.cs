using System.Net.Http.Headers;
using System.Text;
using MediaServer.EndToEnd.Access;

namespace MediaServer.EndToEnd.Infrastructure.Chaos;

/// <summary>
/// Who is who in the chaos run, as a multi-tenant camera cloud would have it: one account for the
/// cameras of every household, one for the RTSP players, a bearer token per household for its
/// WebRTC viewers, and mallory, a tenant who may publish, read and use the API only under
/// <c>mallory/</c> and spends the run trying to claim what the others hold.
/// </summary>
internal static class ChaosTenants
{
    public const string Mallory = "mallory";
    public const string MalloryPassword = "mallory-pw";

    public static readonly string[] Arguments =
    [
        "--Auth:Users:0:Name=camera", "--Auth:Users:0:Password=camera-pw",
        "--Auth:Users:0:Permissions:0:Action=publish", "--Auth:Users:0:Permissions:0:Path=~^home",
        "--Auth:Users:1:Name=viewer", "--Auth:Users:1:Password=viewer-pw",
        "--Auth:Users:1:Permissions:0:Action=read", "--Auth:Users:1:Permissions:0:Path=~^home",
        $"--Auth:Users:2:Name={Mallory}", $"--Auth:Users:2:Password={MalloryPassword}",
        "--Auth:Users:2:Permissions:0:Action=publish", "--Auth:Users:2:Permissions:0:Path=~^mallory/",
        "--Auth:Users:2:Permissions:1:Action=read", "--Auth:Users:2:Permissions:1:Path=~^mallory/",
        "--Auth:Users:2:Permissions:2:Action=api",
        $"--Auth:JwtSecret={TestJwt.Secret}",
    ];

    public static string CameraUrl(int port, string path) => $"rtsp://camera:camera-pw@127.0.0.1:{port}/{path}";

    public static string ViewerUrl(int port, string path) => $"rtsp://viewer:viewer-pw@127.0.0.1:{port}/{path}";

    /// <summary>The RTSP players' credentials as a header line.</summary>
    public static string ViewerAuthorization { get; } = Basic("viewer", "viewer-pw");

    public static string MalloryAuthorization { get; } = Basic(Mallory, MalloryPassword);

    /// <summary>A household's own token: it may read that household's camera only.</summary>
    public static AuthenticationHeaderValue HouseholdToken(string path) =>
        new("Bearer", TestJwt.Issue("household:" + path, ("read", path)));

    public static AuthenticationHeaderValue MalloryToken { get; } =
        new("Bearer", TestJwt.Issue(Mallory, ("read", "~^mallory/"), ("publish", "~^mallory/"), ("api", null)));

    private static string Basic(string user, string password) =>
        "Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
}
