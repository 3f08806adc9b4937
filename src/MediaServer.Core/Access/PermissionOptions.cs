namespace MediaServer.Core.Access;

/// <summary>
/// One permission of a user (configuration <c>Auth:Users:N:Permissions:M</c>): an action
/// (<c>publish</c>, <c>read</c>, <c>kick</c>, <c>api</c>, <c>metrics</c>, <c>config</c>) and, for publish, read and kick, the paths it
/// covers: a literal name, a regular expression after '~', or empty for every path.
/// </summary>
public sealed class PermissionOptions
{
    public string Action { get; set; } = string.Empty;

    public string? Path { get; set; }
}
