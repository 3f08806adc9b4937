using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MediaServer.WebRtc.Dtls;
using Org.BouncyCastle.Crypto.Parameters;

namespace MediaServer.WebRtc.Tests.Dtls;

public sealed class DtlsCertificateTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_generated_certificate_is_self_signed_P256_and_valid_from_30_days_ago_for_a_year()
    {
        DtlsCertificate certificate = DtlsCertificate.Generate(Now);

        var key = Assert.IsType<ECPrivateKeyParameters>(certificate.PrivateKey);
        Assert.Equal(256, key.Parameters.Curve.FieldSize);
        Assert.True(certificate.IsEcdsa);
        Assert.Equal("CN=MediaServer", certificate.Certificate.SubjectDN.ToString());
        Assert.Equal(certificate.Certificate.SubjectDN, certificate.Certificate.IssuerDN);
        Assert.Equal(Now.AddDays(-30).UtcDateTime, certificate.Certificate.NotBefore);
        Assert.Equal(Now.AddYears(1).UtcDateTime, certificate.Certificate.NotAfter);
        Assert.True(certificate.Certificate.SerialNumber.SignValue > 0);

        // Self-signed: the certificate's own public key verifies it.
        certificate.Certificate.Verify(certificate.Certificate.GetPublicKey());
    }

    [Fact]
    public void Two_generated_certificates_have_different_serials_and_keys()
    {
        DtlsCertificate first = DtlsCertificate.Generate(Now);
        DtlsCertificate second = DtlsCertificate.Generate(Now);

        Assert.NotEqual(first.Certificate.SerialNumber, second.Certificate.SerialNumber);
        Assert.NotEqual(first.Fingerprint, second.Fingerprint);
    }

    [Fact]
    public void A_PKCS12_file_loads_with_its_certificate_and_matching_private_key()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Configured", key, HashAlgorithmName.SHA256);
        using X509Certificate2 created = request.CreateSelfSigned(Now.AddDays(-1), Now.AddDays(10));
        byte[] pkcs12 = created.Export(X509ContentType.Pkcs12, "secret");

        DtlsCertificate loaded = DtlsCertificate.LoadPkcs12(new MemoryStream(pkcs12), "secret");

        Assert.Equal(created.RawData, loaded.Der.ToArray());
        Assert.True(loaded.IsEcdsa);
        Assert.Equal("CN=Configured", loaded.Certificate.SubjectDN.ToString());

        // The loaded private key belongs to the certificate: its public point is the certificate's.
        var publicKey = (ECPublicKeyParameters)loaded.Certificate.GetPublicKey();
        var privateKey = (ECPrivateKeyParameters)loaded.PrivateKey;
        Assert.Equal(publicKey.Q.Normalize(), privateKey.Parameters.G.Multiply(privateKey.D).Normalize());
    }

    [Fact]
    public void A_PKCS12_file_without_a_private_key_is_refused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=NoKey", key, HashAlgorithmName.SHA256);
        using X509Certificate2 created = request.CreateSelfSigned(Now.AddDays(-1), Now.AddDays(10));
        using X509Certificate2 publicOnly = X509CertificateLoader.LoadCertificate(created.RawData);
        byte[] pkcs12 = publicOnly.Export(X509ContentType.Pkcs12, "secret");

        Assert.Throws<InvalidDataException>(() => DtlsCertificate.LoadPkcs12(new MemoryStream(pkcs12), "secret"));
    }

    [Fact]
    public void Options_without_a_certificate_path_get_a_generated_certificate()
    {
        DtlsCertificate certificate = DtlsCertificate.FromOptions(new WebRtcOptions(), Now);

        Assert.True(certificate.IsEcdsa);
    }
}
