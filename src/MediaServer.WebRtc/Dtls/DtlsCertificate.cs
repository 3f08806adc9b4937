using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls.Crypto;
using BcX509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace MediaServer.WebRtc.Dtls;

/// <summary>
/// The certificate and private key this server presents in every DTLS handshake, and the
/// fingerprint that the SDP answer advertises for it (RFC 8122). WebRTC does not use PKI: the
/// peer trusts the certificate only because its hash matches the fingerprint in the answer.
/// </summary>
public sealed class DtlsCertificate
{
    private readonly byte[] _der;

    private DtlsCertificate(byte[] der, AsymmetricKeyParameter privateKey)
    {
        if (!privateKey.IsPrivate)
        {
            throw new ArgumentException("The key must be a private key.", nameof(privateKey));
        }

        if (privateKey is not ECPrivateKeyParameters and not RsaKeyParameters)
        {
            throw new ArgumentException("DTLS needs an ECDSA or RSA key.", nameof(privateKey));
        }

        _der = der;
        PrivateKey = privateKey;
        Certificate = new BcX509Certificate(der);
        FingerprintValue = DtlsFingerprint.Compute(der);
        Fingerprint = FingerprintValue.ToString();
    }

    /// <summary>The certificate, as BouncyCastle's X.509 object.</summary>
    public BcX509Certificate Certificate { get; }

    /// <summary>The certificate's DER encoding, which is what the fingerprint hashes.</summary>
    public ReadOnlySpan<byte> Der => _der;

    /// <summary>The private key: ECDSA (generated) or RSA/ECDSA (loaded).</summary>
    public AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>Whether the key is ECDSA (ECDHE_ECDSA suites) rather than RSA (ECDHE_RSA suites).</summary>
    public bool IsEcdsa => PrivateKey is ECPrivateKeyParameters;

    /// <summary>The SDP form of the SHA-256 fingerprint, e.g. <c>sha-256 AB:CD:...</c>, for <c>a=fingerprint:</c>.</summary>
    public string Fingerprint { get; }

    /// <summary>The same fingerprint as a value.</summary>
    public DtlsFingerprint FingerprintValue { get; }

    /// <summary>
    /// Generates an ECDSA P-256 self-signed certificate, <c>CN=MediaServer</c>, valid from 30 days
    /// ago (tolerates skewed peer clocks) to one year from <paramref name="now"/>, with a random serial.
    /// </summary>
    public static DtlsCertificate Generate(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=MediaServer", key, HashAlgorithmName.SHA256);

        // A positive 64-bit random serial; browsers compare fingerprints, but some stacks log serials.
        Span<byte> serial = stackalloc byte[8];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        serial[0] |= 0x01;

        using X509Certificate2 certificate = request.Create(
            request.SubjectName, X509SignatureGenerator.CreateForECDsa(key), now.AddDays(-30), now.AddYears(1), serial);
        AsymmetricKeyParameter privateKey = PrivateKeyFactory.CreateKey(key.ExportPkcs8PrivateKey());
        return new DtlsCertificate(certificate.RawData, privateKey);
    }

    /// <summary>
    /// Loads the first key entry (certificate + private key) of a PKCS#12 file. Throws
    /// <see cref="InvalidDataException"/> when the file holds no usable key entry.
    /// </summary>
    public static DtlsCertificate LoadPkcs12(string path, string password)
    {
        using FileStream stream = File.OpenRead(path);
        return LoadPkcs12(stream, password);
    }

    /// <summary>Loads the first key entry of a PKCS#12 stream.</summary>
    public static DtlsCertificate LoadPkcs12(Stream stream, string password)
    {
        Pkcs12Store store = new Pkcs12StoreBuilder().Build();
        store.Load(stream, password.ToCharArray());
        foreach (string alias in store.Aliases)
        {
            if (!store.IsKeyEntry(alias))
            {
                continue;
            }

            AsymmetricKeyEntry keyEntry = store.GetKey(alias);
            X509CertificateEntry? certificateEntry = store.GetCertificate(alias);
            if (certificateEntry is null)
            {
                continue;
            }

            if (keyEntry.Key is not ECPrivateKeyParameters and not RsaPrivateCrtKeyParameters)
            {
                throw new InvalidDataException($"PKCS#12 entry '{alias}' has a key that is neither ECDSA nor RSA.");
            }

            return new DtlsCertificate(certificateEntry.Certificate.GetEncoded(), keyEntry.Key);
        }

        throw new InvalidDataException("The PKCS#12 file holds no private key with a certificate.");
    }

    /// <summary>The certificate configured in <paramref name="options"/>, or a generated one when none is.</summary>
    public static DtlsCertificate FromOptions(WebRtcOptions options, DateTimeOffset now) =>
        string.IsNullOrEmpty(options.CertificatePath)
            ? Generate(now)
            : LoadPkcs12(options.CertificatePath, options.CertificatePassword);

    /// <summary>The one-element chain for a handshake, bound to that handshake's crypto provider.</summary>
    internal Org.BouncyCastle.Tls.Certificate CreateChain(TlsCrypto crypto) =>
        new([crypto.CreateCertificate(_der)]);
}
