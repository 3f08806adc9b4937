using MediaServer.Core.Access;

namespace MediaServer.Core.Tests.Access;

/// <summary>The HA1 forms (<c>digest-md5:REALM:HEX</c>, <c>digest-sha256:REALM:HEX</c>) of a stored password.</summary>
public class DigestHa1FormTests
{
    private static UserDirectory Directory(string realm, string password, params string[] passwords) => new(new AuthOptions
    {
        Realm = realm,
        Users = [new UserOptions { Name = "cam", Password = password, Passwords = [.. passwords], Permissions = [new PermissionOptions { Action = "publish" }] }],
    });

    [Fact]
    public void A_sha256_ha1_answers_sha256_digest_and_basic_but_not_md5_digest()
    {
        // htdigest's SHA-256 line for cam:Home:s3cret, computed independently of the code under test.
        string ha1 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("cam:Home:s3cret"u8));
        UserDirectory users = Directory("Home", $"digest-sha256:Home:{ha1.ToUpperInvariant()}");

        Assert.True(users.TryGetHa1("cam", DigestAlgorithm.Sha256, out string stored, out Principal cam));
        Assert.Equal(ha1, stored);
        Assert.Equal("cam", cam.Name);
        Assert.False(users.TryGetHa1("cam", DigestAlgorithm.Md5, out _, out _));
        Assert.True(users.CanAnswerDigest(DigestAlgorithm.Sha256));
        Assert.False(users.CanAnswerDigest(DigestAlgorithm.Md5));

        Assert.True(users.TryBasic("cam", "s3cret", out _));
        Assert.False(users.TryBasic("cam", "s3cret ", out _));
        Assert.False(users.TryBasic("cam", $"digest-sha256:Home:{ha1}", out _));
    }

    [Fact]
    public void A_wrong_password_does_not_match_an_md5_ha1()
    {
        UserDirectory users = Directory("MediaServer", StoredPassword.FormatDigest(DigestAlgorithm.Md5, "cam", "MediaServer", "right"));
        Assert.False(users.TryBasic("cam", "wrong", out _));
        Assert.True(users.TryGetHa1("cam", DigestAlgorithm.Md5, out string ha1, out _));
        Assert.NotEqual(DigestHash.Ha1(DigestAlgorithm.Md5, "cam", "MediaServer", "wrong"), ha1);
        Assert.True(users.TryBasic("cam", "right", out _));
    }

    [Fact]
    public void A_form_made_for_another_realm_is_refused_naming_its_key_and_both_realms()
    {
        string md5 = StoredPassword.FormatDigest(DigestAlgorithm.Md5, "cam", "Old Realm", "pw");
        ArgumentException error = Assert.Throws<ArgumentException>(() => Directory("MediaServer", PasswordVerifier.Hash("pw", 1000), md5));
        Assert.StartsWith("Auth:Users:0:Passwords:0:", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Old Realm'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'MediaServer'", error.Message, StringComparison.Ordinal);

        error = Assert.Throws<ArgumentException>(() => Directory("MediaServer", StoredPassword.FormatDigest(DigestAlgorithm.Sha256, "cam", "Other", "pw")));
        Assert.StartsWith("Auth:Users:0:Password:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("digest-md5:MediaServer")]
    [InlineData("digest-md5:MediaServer:abc")]
    [InlineData("digest-sha256:MediaServer:0123456789abcdef0123456789abcdef")]
    [InlineData("digest-md5:MediaServer:zz23456789abcdef0123456789abcdef")]
    public void A_malformed_digest_form_is_a_configuration_error(string configured)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => Directory("MediaServer", configured));
        Assert.StartsWith("Auth:Users:0:Password:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_user_may_hold_pbkdf2_for_basic_and_both_ha1s_for_digest_but_each_form_once()
    {
        string pbkdf2 = PasswordVerifier.Hash("pw", 1000);
        string md5 = StoredPassword.FormatDigest(DigestAlgorithm.Md5, "cam", "R:with:colons", "pw");
        string sha256 = StoredPassword.FormatDigest(DigestAlgorithm.Sha256, "cam", "R:with:colons", "pw");
        UserDirectory users = Directory("R:with:colons", pbkdf2, sha256, md5);
        Assert.True(users.TryBasic("cam", "pw", out _));
        Assert.True(users.TryGetHa1("cam", DigestAlgorithm.Md5, out string ha1, out _));
        Assert.Equal(DigestHash.Ha1(DigestAlgorithm.Md5, "cam", "R:with:colons", "pw"), ha1);
        Assert.True(users.TryGetHa1("cam", DigestAlgorithm.Sha256, out _, out _));

        ArgumentException error = Assert.Throws<ArgumentException>(() => Directory("R:with:colons", pbkdf2, md5, md5));
        Assert.StartsWith("Auth:Users:0:Passwords:1:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_password_with_only_ha1_forms_is_not_a_password()
    {
        UserDirectory users = Directory("MediaServer", string.Empty, StoredPassword.FormatDigest(DigestAlgorithm.Md5, "cam", "MediaServer", "pw"));
        Assert.False(users.TryBasic("cam", string.Empty, out _));
        Assert.True(users.TryBasic("cam", "pw", out _));
    }

    [Fact]
    public void Start_up_names_the_users_ffmpeg_and_gstreamer_cannot_log_in_as_over_rtsp()
    {
        string pbkdf2 = PasswordVerifier.Hash("pw", 1000);
        UserOptions User(string name, string password) => new() { Name = name, Password = password };

        // Digest is offered (the camera can answer it), so the PBKDF2-only viewer is out of reach.
        var log = new ListLogger();
        new UserDirectory(new AuthOptions { Users = [User("camera", "plain"), User("viewer", pbkdf2)] }).LogStartup(log);
        string warning = Assert.Single(log.Warnings);
        Assert.Contains(": viewer.", warning, StringComparison.Ordinal);

        // No Digest at all: Basic alone is offered and both clients use it, unless it is withheld.
        log = new ListLogger();
        new UserDirectory(new AuthOptions { Users = [User("viewer", pbkdf2)] }).LogStartup(log);
        Assert.Empty(log.Warnings);
        new UserDirectory(new AuthOptions { Users = [User("viewer", pbkdf2)], RtspBasic = RtspBasicPolicy.Never }).LogStartup(log);
        Assert.Contains("Auth:RtspBasic is Never, so viewer cannot log in over RTSP", Assert.Single(log.Warnings), StringComparison.Ordinal);

        log = new ListLogger();
        new UserDirectory(new AuthOptions { Users = [User("camera", "plain"), User("cam2", StoredPassword.FormatDigest(DigestAlgorithm.Md5, "cam2", "MediaServer", "pw"))] }).LogStartup(log);
        Assert.Empty(log.Warnings);
    }

    private sealed class ListLogger : Microsoft.Extensions.Logging.ILogger
    {
        public List<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
            Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == Microsoft.Extensions.Logging.LogLevel.Warning)
            {
                Warnings.Add(formatter(state, exception));
            }
        }
    }
}
