using MediaServer.Core.Access;

namespace MediaServer.Core.Tests.Access;

/// <summary>
/// <c>exp</c> and <c>nbf</c> are NumericDates (RFC 7519 §2): seconds that may carry a fraction. A
/// lifetime that is not a number at all cannot be checked, so the token is refused.
/// </summary>
public sealed class JwtLifetimeTests
{
    private const string Secret = "a shared secret of at least 32 bytes!";
    private const long Now = 1_800_000_000;

    private static readonly DateTimeOffset NowTime = DateTimeOffset.FromUnixTimeSeconds(Now);

    private static bool Verify(string claims) =>
        new JwtVerifier(new AuthOptions { JwtSecret = Secret }).TryVerify(TestTokens.Hs256(Secret, claims), NowTime, out _, out _);

    private static string Claims(string lifetime) =>
        $$"""{"sub":"viewer-7",{{lifetime}},"mediaserver_permissions":[{"action":"read","path":"cam1"}]}""";

    [Fact]
    public void A_fractional_exp_in_the_past_is_refused_and_one_in_the_future_accepted()
    {
        Assert.False(Verify(Claims($"\"exp\":{Now - 120}.5")));
        Assert.True(Verify(Claims($"\"exp\":{Now + 120}.5")));
    }

    [Fact]
    public void A_fractional_nbf_in_the_future_is_refused_and_one_in_the_past_accepted()
    {
        Assert.False(Verify(Claims($"\"nbf\":{Now + 120}.25")));
        Assert.True(Verify(Claims($"\"nbf\":{Now - 120}.25")));
    }

    [Theory]
    [InlineData("\"exp\":\"soon\"")]
    [InlineData("\"exp\":\"1900000000\"")]
    [InlineData("\"nbf\":\"1700000000\"")]
    [InlineData("\"exp\":null")]
    [InlineData("\"exp\":true")]
    [InlineData("\"exp\":{\"at\":1900000000}")]
    [InlineData("\"nbf\":\"later\"")]
    [InlineData("\"nbf\":[1700000000]")]
    public void A_lifetime_that_is_not_a_number_is_refused(string lifetime)
    {
        Assert.False(Verify(Claims(lifetime)));
    }
}
