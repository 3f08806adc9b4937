namespace MediaServer.Core.Access;

/// <summary>The <c>Auth</c> configuration section. With no users and no JWT key, anyone may do anything.</summary>
public sealed class AuthOptions
{
    public List<UserOptions> Users { get; set; } = [];

    /// <summary>The realm of Basic and Digest challenges.</summary>
    public string Realm { get; set; } = "MediaServer";

    /// <summary>Where RTSP offers and accepts Basic: Always, Tls (RTSPS only) or Never (Digest only).</summary>
    public RtspBasicPolicy RtspBasic { get; set; } = RtspBasicPolicy.Always;

    /// <summary>Shared secret (UTF-8) for HS256 bearer tokens; empty disables it.</summary>
    public string JwtSecret { get; set; } = string.Empty;

    /// <summary>A JWKS file with the public keys (RS256, ES256) bearer tokens are signed with; empty disables it.</summary>
    public string JwksPath { get; set; } = string.Empty;

    /// <summary>The token claim listing permissions, as [{"action":"read","path":"cam1"}, ...].</summary>
    public string JwtPermissionsClaim { get; set; } = "mediaserver_permissions";

    /// <summary>Failed authentications one client address may make per minute before it is refused outright.</summary>
    public int MaxFailuresPerMinute { get; set; } = 20;

    public bool IsEnabled => Users.Count > 0 || JwtSecret.Length > 0 || JwksPath.Length > 0;
}
