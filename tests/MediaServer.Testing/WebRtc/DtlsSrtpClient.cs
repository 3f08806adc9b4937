using MediaServer.WebRtc.Dtls;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace MediaServer.Testing.WebRtc;

/// <summary>
/// The browser's side of DTLS-SRTP: BouncyCastle's DTLS 1.2 client offering use_srtp, as Chrome and
/// Firefox do. The in-repo WHEP client, the tests and the benchmarks use it to make the server do
/// the full handshake.
/// </summary>
public sealed class DtlsSrtpClient : DefaultTlsClient
{
    private readonly BcTlsCrypto _crypto;
    private readonly DtlsCertificate? _certificate;
    private readonly int[] _profiles;
    private readonly int[]? _cipherSuites;
    private readonly int _handshakeTimeoutMillis;
    private int _selectedProfile = -1;

    public DtlsSrtpClient(DtlsCertificate? certificate, int[] profiles, int[]? cipherSuites = null, int handshakeTimeoutMillis = 5000)
        : this(new BcTlsCrypto(), certificate, profiles, cipherSuites, handshakeTimeoutMillis)
    {
    }

    private DtlsSrtpClient(BcTlsCrypto crypto, DtlsCertificate? certificate, int[] profiles, int[]? cipherSuites, int handshakeTimeoutMillis)
        : base(crypto)
    {
        _crypto = crypto;
        _certificate = certificate;
        _profiles = profiles;
        _cipherSuites = cipherSuites;
        _handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    public DtlsSrtpKeys? Keys { get; private set; }

    public byte[]? ServerCertificateDer { get; private set; }

    public bool CloseNotifyReceived { get; private set; }

    public override void NotifyAlertReceived(short alertLevel, short alertDescription) =>
        CloseNotifyReceived |= alertDescription == AlertDescription.close_notify;

    public int ResendMillis { get; init; } = 1000;

    public override int GetHandshakeTimeoutMillis() => _handshakeTimeoutMillis;

    public override int GetHandshakeResendTimeMillis() => ResendMillis;

    public override IDictionary<int, byte[]> GetClientExtensions()
    {
        IDictionary<int, byte[]> extensions = base.GetClientExtensions();
        TlsSrtpUtilities.AddUseSrtpExtension(extensions, new UseSrtpData(_profiles, TlsUtilities.EmptyBytes));
        return extensions;
    }

    public override void ProcessServerExtensions(IDictionary<int, byte[]> serverExtensions)
    {
        base.ProcessServerExtensions(serverExtensions);
        UseSrtpData selected = TlsSrtpUtilities.GetUseSrtpExtension(serverExtensions)
            ?? throw new TlsFatalAlert(AlertDescription.handshake_failure);
        if (selected.ProtectionProfiles.Length != 1 || Array.IndexOf(_profiles, selected.ProtectionProfiles[0]) < 0)
        {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter);
        }

        _selectedProfile = selected.ProtectionProfiles[0];
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        var profile = (ushort)_selectedProfile;
        int length = 2 * (SrtpProtectionProfileId.MasterKeyLength(profile) + SrtpProtectionProfileId.MasterSaltLength(profile));
        byte[] material = m_context.ExportKeyingMaterial(ExporterLabel.dtls_srtp, null, length);
        Keys = DtlsSrtpKeys.FromKeyingMaterial(profile, material, isServer: false);
    }

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    protected override int[] GetSupportedCipherSuites() => _cipherSuites ?? base.GetSupportedCipherSuites();

    private sealed class Authentication(DtlsSrtpClient client) : TlsAuthentication
    {
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate) =>
            client.ServerCertificateDer = serverCertificate.Certificate.GetCertificateAt(0).GetEncoded();

        public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest)
        {
            if (client._certificate is null)
            {
                return null;
            }

            SignatureAndHashAlgorithm algorithm = new(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);
            return new BcDefaultTlsCredentialedSigner(
                new TlsCryptoParameters(client.m_context),
                client._crypto,
                client._certificate.PrivateKey,
                new Certificate([client._crypto.CreateCertificate(client._certificate.Der.ToArray())]),
                algorithm);
        }
    }
}
