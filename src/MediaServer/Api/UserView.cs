using MediaServer.Core.Access;

namespace MediaServer.Api;

/// <summary>A configured user as the API shows it: never the password, only how it is stored.</summary>
internal sealed record UserView(string Name, string PasswordKind, PermissionOptions[] Permissions)
{
    public static UserView From(UserOptions user) => new(
        user.Name,
        user.Password.StartsWith("pbkdf2:", StringComparison.Ordinal) ? "pbkdf2"
            : user.Password.StartsWith("sha256:", StringComparison.Ordinal) ? "sha256"
            : "plain",
        [.. user.Permissions]);
}
