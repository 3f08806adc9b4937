using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using MediaServer.WebRtc.Dtls;

namespace MediaServer.WebRtc.Tests.Dtls;

public sealed partial class DtlsFingerprintTests
{
    private static readonly DtlsCertificate Certificate = DtlsCertificate.Generate(DateTimeOffset.UtcNow);

    [GeneratedRegex("^sha-256 [0-9A-F]{2}(:[0-9A-F]{2}){31}$")]
    private static partial Regex SdpSha256();

    [Fact]
    public void The_fingerprint_has_the_SDP_SHA256_form()
    {
        Assert.Matches(SdpSha256(), Certificate.Fingerprint);
    }

    [Fact]
    public void The_fingerprint_is_the_SHA256_of_the_DER_computed_independently()
    {
        // .NET parses the DER on its own and hashes it; the fingerprint must agree byte for byte.
        using X509Certificate2 parsed = X509CertificateLoader.LoadCertificate(Certificate.Der);
        string expected = "sha-256 " + BitConverter.ToString(parsed.GetCertHash(HashAlgorithmName.SHA256)).Replace('-', ':');

        Assert.Equal(expected, Certificate.Fingerprint);
        Assert.Equal(expected, Certificate.FingerprintValue.ToString());
    }

    [Fact]
    public void A_parsed_fingerprint_round_trips_and_matches_only_its_certificate()
    {
        Assert.Equal(DtlsFingerprintError.None, DtlsFingerprint.TryParse(Certificate.Fingerprint, out DtlsFingerprint? parsed));

        Assert.Equal("sha-256", parsed!.Algorithm);
        Assert.Equal(Certificate.Fingerprint, parsed.ToString());
        Assert.True(parsed.Matches(Certificate.Der));
        Assert.False(parsed.Matches(DtlsCertificate.Generate(DateTimeOffset.UtcNow).Der));
    }

    [Fact]
    public void Parsing_ignores_case_and_tolerates_extra_space()
    {
        // RFC 8122 §5: hash names and hex digits are case-insensitive.
        string text = "  SHA-256   " + Certificate.Fingerprint["sha-256 ".Length..].ToLowerInvariant() + " ";

        Assert.Equal(DtlsFingerprintError.None, DtlsFingerprint.TryParse(text, out DtlsFingerprint? parsed));
        Assert.True(parsed!.Matches(Certificate.Der));
    }

    [Fact]
    public void A_SHA512_fingerprint_parses_and_matches_an_independently_computed_hash()
    {
        byte[] hash = SHA512.HashData(Certificate.Der);
        string text = "sha-512 " + BitConverter.ToString(hash).Replace('-', ':');

        Assert.Equal(DtlsFingerprintError.None, DtlsFingerprint.TryParse(text, out DtlsFingerprint? parsed));
        Assert.True(parsed!.Matches(Certificate.Der));
    }

    [Theory]
    [InlineData("", DtlsFingerprintError.Empty)]
    [InlineData("   ", DtlsFingerprintError.Empty)]
    [InlineData("sha-256", DtlsFingerprintError.MissingValue)]
    [InlineData("sha-256   ", DtlsFingerprintError.MissingValue)]
    [InlineData("md5 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF", DtlsFingerprintError.UnsupportedAlgorithm)]
    [InlineData("sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33", DtlsFingerprintError.UnsupportedAlgorithm)]
    [InlineData("sha-256 00:11", DtlsFingerprintError.WrongLength)]
    [InlineData("sha-256 G0:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF", DtlsFingerprintError.InvalidHex)]
    [InlineData("sha-256 00-11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF", DtlsFingerprintError.InvalidHex)]
    public void Bad_input_is_refused_with_a_typed_error(string text, DtlsFingerprintError expected)
    {
        Assert.Equal(expected, DtlsFingerprint.TryParse(text, out DtlsFingerprint? parsed));
        Assert.Null(parsed);
    }
}
