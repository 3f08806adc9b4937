using System.Security.Cryptography;
using MediaServer.Core.Access;

namespace MediaServer.Core.Tests.Access;

public sealed class JwtVerifierTests : IDisposable
{
    private const string Secret = "a shared secret of at least 32 bytes!";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    private readonly string _jwksPath = Path.GetTempFileName();
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ECDsa _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public JwtVerifierTests() => File.WriteAllText(_jwksPath, TestTokens.Jwks(("rsa-1", _rsa), ("ec-1", _ec)));

    public void Dispose()
    {
        File.Delete(_jwksPath);
        _rsa.Dispose();
        _ec.Dispose();
    }

    private JwtVerifier Verifier() => new(new AuthOptions { JwtSecret = Secret, JwksPath = _jwksPath });

    private static string ReadCam1(long? expires = null, long? notBefore = null) =>
        TestTokens.Claims("viewer-7", expires, notBefore, ("read", "cam1"), ("api", null));

    [Fact]
    public void Hs256_rs256_and_es256_tokens_carry_their_permissions()
    {
        JwtVerifier verifier = Verifier();
        string[] tokens =
        [
            TestTokens.Hs256(Secret, ReadCam1()),
            TestTokens.Rs256(_rsa, ReadCam1(), "rsa-1"),
            TestTokens.Es256(_ec, ReadCam1(), "ec-1"),
            TestTokens.Es256(_ec, ReadCam1()), // no kid: every key is tried
        ];
        foreach (string token in tokens)
        {
            Assert.True(verifier.TryVerify(token, Now, out Principal principal, out string error), error);
            Assert.True(principal.IsAuthenticated);
            Assert.Equal("jwt:viewer-7", principal.Name);
            Assert.True(principal.Allows(AccessAction.Read, TestRtp.Id("cam1")));
            Assert.False(principal.Allows(AccessAction.Read, TestRtp.Id("cam2")));
            Assert.False(principal.Allows(AccessAction.Publish, TestRtp.Id("cam1")));
            Assert.True(principal.Allows(AccessAction.Api));
            Assert.False(principal.Allows(AccessAction.Metrics));
        }
    }

    [Fact]
    public void Forged_unsigned_expired_and_premature_tokens_are_refused()
    {
        JwtVerifier verifier = Verifier();
        using RSA stranger = RSA.Create(2048);
        string hs = TestTokens.Hs256(Secret, ReadCam1());
        string[] parts = hs.Split('.');
        string tampered = parts[0] + "." + TestTokens.Hs256(Secret, TestTokens.Claims("x", null, null, ("read", null))).Split('.')[1] + "." + parts[2];
        (string Token, string Why)[] refused =
        [
            (TestTokens.Hs256("another secret that is long enough", ReadCam1()), "wrong secret"),
            (TestTokens.Rs256(stranger, ReadCam1(), "rsa-1"), "key not in the JWKS"),
            (TestTokens.Rs256(_rsa, ReadCam1(), "ec-1"), "kid names a key of another type"),
            (TestTokens.Unsigned(ReadCam1()), "alg none"),
            (tampered, "claims swapped under a valid signature"),
            (TestTokens.Hs256(Secret, ReadCam1(expires: Now.ToUnixTimeSeconds() - 120)), "expired"),
            (TestTokens.Hs256(Secret, ReadCam1(notBefore: Now.ToUnixTimeSeconds() + 120)), "not yet valid"),
            ("not.a.token", "garbage"),
            ("onlyonepart", "not a JWS"),
            ("", "empty"),
        ];
        foreach ((string token, string why) in refused)
        {
            Assert.False(verifier.TryVerify(token, Now, out Principal principal, out _), why);
            Assert.False(principal.IsAuthenticated, why);
        }
    }

    [Fact]
    public void Clock_skew_of_a_few_seconds_is_tolerated()
    {
        JwtVerifier verifier = Verifier();
        Assert.True(verifier.TryVerify(TestTokens.Hs256(Secret, ReadCam1(expires: Now.ToUnixTimeSeconds() - 10)), Now, out _, out _));
        Assert.True(verifier.TryVerify(TestTokens.Hs256(Secret, ReadCam1(notBefore: Now.ToUnixTimeSeconds() + 10)), Now, out _, out _));
    }

    [Fact]
    public void Without_a_secret_an_hs256_token_is_refused_even_if_signed_with_the_public_key_bytes()
    {
        // The classic algorithm-confusion attack: HMAC keyed with what the server thinks is a public key.
        var verifier = new JwtVerifier(new AuthOptions { JwksPath = _jwksPath });
        string publicKey = Convert.ToBase64String(_rsa.ExportSubjectPublicKeyInfo());
        Assert.False(verifier.TryVerify(TestTokens.Hs256(publicKey, ReadCam1()), Now, out _, out _));
        Assert.True(verifier.TryVerify(TestTokens.Rs256(_rsa, ReadCam1()), Now, out _, out _));
    }
}
