namespace MediaServer.Core.Access;

/// <summary>
/// The stored forms of one user's password (<c>Password</c> and <c>Passwords</c>), checked against
/// the realm once: what Basic is verified with and which Digest algorithms the user can answer.
/// </summary>
public sealed class UserCredentials
{
    // Basic is checked against one form only: the slowest to attack comes first, so a password
    // that passes here passed the strongest check the configuration offers for it.
    private static readonly PasswordForm[] BasicPreference =
        [PasswordForm.Pbkdf2, PasswordForm.Sha256, PasswordForm.DigestSha256, PasswordForm.DigestMd5, PasswordForm.Plain];

    private readonly string _user;
    private readonly StoredPassword _basic;
    private readonly string? _md5Ha1;
    private readonly string? _sha256Ha1;

    private UserCredentials(string user, List<StoredPassword> forms, string realm)
    {
        _user = user;
        Forms = forms;
        _basic = BasicPreference.Select(f => forms.Find(s => s.Form == f)).First(s => s is not null)!;
        StoredPassword? plain = forms.Find(s => s.Form == PasswordForm.Plain);
        _md5Ha1 = Ha1(forms, plain, DigestAlgorithm.Md5, user, realm);
        _sha256Ha1 = Ha1(forms, plain, DigestAlgorithm.Sha256, user, realm);
    }

    public IReadOnlyList<StoredPassword> Forms { get; }

    /// <summary>
    /// Reads the forms of <c>Auth:Users:<paramref name="index"/></c>; throws with the key of the
    /// first form that is malformed, repeats a form, or was made for a realm other than <paramref name="realm"/>.
    /// </summary>
    public static UserCredentials Compile(UserOptions user, int index, string realm)
    {
        var configured = new List<(string Key, string Value)>();
        if (user.Password.Length > 0 || user.Passwords.Count == 0)
        {
            // An empty Password with no Passwords is the empty plain password.
            configured.Add(($"Auth:Users:{index}:Password", user.Password));
        }

        for (int i = 0; i < user.Passwords.Count; i++)
        {
            configured.Add(($"Auth:Users:{index}:Passwords:{i}", user.Passwords[i]));
        }

        var forms = new List<StoredPassword>();
        foreach ((string key, string value) in configured)
        {
            StoredPassword form = StoredPassword.Parse(value, out string? error);
            if (error is not null)
            {
                throw new ArgumentException($"{key}: {error}.");
            }

            if (form.DigestAlgorithm is not null && !string.Equals(form.Realm, realm, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"{key}: this {StoredPassword.Name(form.Form)} form of user '{user.Name}' was made for realm '{form.Realm}', but Auth:Realm is " +
                    $"'{realm}'; the realm is part of the hash, so make it again with: MediaServer hash-password --user {user.Name} --realm {realm}.");
            }

            if (forms.Exists(f => f.Form == form.Form))
            {
                throw new ArgumentException($"{key}: user '{user.Name}' already has a {StoredPassword.Name(form.Form)} form; give each form once.");
            }

            forms.Add(form);
        }

        return new UserCredentials(user.Name, forms, realm);
    }

    public bool CanAnswerDigest(DigestAlgorithm algorithm) => GetHa1(algorithm) is not null;

    /// <summary>The HA1 a Digest response of this user is checked with: stored, or made from a plain password.</summary>
    public string? GetHa1(DigestAlgorithm algorithm) => algorithm == DigestAlgorithm.Md5 ? _md5Ha1 : _sha256Ha1;

    /// <summary>A password presented in plain (Basic), checked in constant time.</summary>
    public bool VerifyBasic(string presented) => _basic.Verify(_user, presented);

    private static string? Ha1(List<StoredPassword> forms, StoredPassword? plain, DigestAlgorithm algorithm, string user, string realm)
    {
        if (forms.Find(s => s.DigestAlgorithm == algorithm) is { } stored)
        {
            return stored.Ha1;
        }

        return plain is not null && plain.TryGetPlain(out string password) ? DigestHash.Ha1(algorithm, user, realm, password) : null;
    }
}
