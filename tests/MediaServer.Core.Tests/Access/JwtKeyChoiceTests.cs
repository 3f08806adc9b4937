using System.Security.Cryptography;
using MediaServer.Core.Access;

namespace MediaServer.Core.Tests.Access;

/// <summary>Which key checks a token: the one its <c>kid</c> names, and only with that key's algorithm.</summary>
public sealed class JwtKeyChoiceTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    private readonly string _jwksPath = Path.GetTempFileName();
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ECDsa _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public JwtKeyChoiceTests() => File.WriteAllText(_jwksPath, TestTokens.Jwks(("rsa-1", _rsa), ("ec-1", _ec)));

    public void Dispose()
    {
        File.Delete(_jwksPath);
        _rsa.Dispose();
        _ec.Dispose();
    }

    private static string Claims => TestTokens.Claims("viewer-7", null, null, ("read", "cam1"));

    private JwtVerifier Verifier() => new(new AuthOptions { JwksPath = _jwksPath });

    [Fact]
    public void A_kid_that_names_no_key_is_refused_even_though_a_key_of_the_set_would_verify_it()
    {
        JwtVerifier verifier = Verifier();
        Assert.True(verifier.TryVerify(TestTokens.Rs256(_rsa, Claims), Now, out _, out _));
        Assert.False(verifier.TryVerify(TestTokens.Rs256(_rsa, Claims, "rotated-away"), Now, out _, out string error));
        Assert.False(verifier.TryVerify(TestTokens.Es256(_ec, Claims, "rotated-away"), Now, out _, out _));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void A_kid_is_matched_exactly()
    {
        JwtVerifier verifier = Verifier();
        Assert.False(verifier.TryVerify(TestTokens.Rs256(_rsa, Claims, "RSA-1"), Now, out _, out _));
        Assert.False(verifier.TryVerify(TestTokens.Rs256(_rsa, Claims, "rsa-"), Now, out _, out _));
        Assert.True(verifier.TryVerify(TestTokens.Rs256(_rsa, Claims, "rsa-1"), Now, out _, out _));
    }

    [Fact]
    public void An_rsa_key_verifies_only_rs256_even_when_the_token_is_signed_by_it_with_another_hash()
    {
        File.WriteAllText(_jwksPath, TestTokens.Jwks(("rsa-1", _rsa)).Replace("\"kty\":\"RSA\"", "\"kty\":\"RSA\",\"alg\":\"RS256\"", StringComparison.Ordinal));
        JwtVerifier verifier = Verifier();
        Assert.True(verifier.TryVerify(TestTokens.Rs256(_rsa, Claims, "rsa-1"), Now, out _, out _));
        Assert.False(verifier.TryVerify(TestTokens.Rs384(_rsa, Claims, "rsa-1"), Now, out _, out _));
        Assert.False(verifier.TryVerify(TestTokens.Rs384(_rsa, Claims), Now, out _, out _));
    }
}
