using MediaServer.Core.Access;

namespace MediaServer.Api;

/// <summary>
/// A configured user as the API shows it: never the password, only how it is stored
/// (<see cref="PasswordKind"/> for <c>Password</c>, <see cref="PasswordKinds"/> for every form the user holds).
/// </summary>
internal sealed record UserView(string Name, string PasswordKind, string[] PasswordKinds, PermissionOptions[] Permissions)
{
    public static UserView From(UserOptions user) => new(
        user.Name,
        Kind(user.Password),
        [.. (user.Password.Length > 0 || user.Passwords.Count == 0 ? [user.Password] : Array.Empty<string>()).Concat(user.Passwords).Select(Kind)],
        [.. user.Permissions]);

    private static string Kind(string configured) => StoredPassword.Name(StoredPassword.Parse(configured, out _).Form);
}
