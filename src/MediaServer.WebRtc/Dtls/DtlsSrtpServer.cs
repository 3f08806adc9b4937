using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace MediaServer.WebRtc.Dtls;

/// <summary>
/// BouncyCastle's server side of one WebRTC DTLS-SRTP handshake: DTLS 1.2 only, ECDHE with the
/// configured certificate's key type, use_srtp (RFC 5764), a mandatory client certificate checked
/// against the offer's fingerprint (RFC 8122 §5), extended master secret required (RFC 7627: the
/// exporter that derives the SRTP keys is only safe with it, and BouncyCastle refuses without it).
/// </summary>
internal sealed class DtlsSrtpServer : DefaultTlsServer
{
    // GCM first: both Chrome and Firefox offer it; CBC stays for older or embedded WebRTC stacks.
    private static readonly int[] EcdsaCipherSuites =
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
    ];

    private static readonly int[] RsaCipherSuites =
    [
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
    ];

    // Our preference, not the client's order: AEAD first, as RFC 7714 recommends.
    private static readonly int[] SupportedProfiles =
    [
        SrtpProtectionProfileId.AeadAes128Gcm,
        SrtpProtectionProfileId.Aes128CmHmacSha1_80,
    ];

    private readonly BcTlsCrypto _crypto;
    private readonly DtlsCertificate _certificate;
    private readonly DtlsFingerprint _remoteFingerprint;
    private readonly int _handshakeTimeoutMillis;
    private int _selectedProfile = -1;
    private volatile bool _closeNotifyReceived;

    public DtlsSrtpServer(BcTlsCrypto crypto, DtlsCertificate certificate, DtlsFingerprint remoteFingerprint, int handshakeTimeoutMillis)
        : base(crypto)
    {
        _crypto = crypto;
        _certificate = certificate;
        _remoteFingerprint = remoteFingerprint;
        _handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    /// <summary>The failure this server itself detected, which a bare TLS alert would not tell apart.</summary>
    public DtlsHandshakeFailure? Failure { get; private set; }

    /// <summary>The SRTP keys, set when the handshake completes.</summary>
    public DtlsSrtpKeys? Keys { get; private set; }

    /// <summary>Whether the peer sent close_notify.</summary>
    public bool CloseNotifyReceived => _closeNotifyReceived;

    /// <summary>The description of the last fatal alert received, if any.</summary>
    public short? FatalAlertReceived { get; private set; }

    public override int GetHandshakeTimeoutMillis() => _handshakeTimeoutMillis;

    // RFC 6347 §4.1.2.7: invalid records are silently discarded rather than ending the association.
    public override bool IgnoreCorruptDtlsRecords => true;

    public override bool RequiresExtendedMasterSecret() => true;

    // Trust comes from the fingerprint, not from how the self-signed certificate was signed.
    public override bool ShouldCheckSigAlgOfPeerCerts() => false;

    // This server never renegotiates, so a client without renegotiation_info is no risk.
    public override void NotifySecureRenegotiation(bool secureRenegotiation)
    {
    }

    public override void NotifyAlertReceived(short alertLevel, short alertDescription)
    {
        if (alertDescription == AlertDescription.close_notify)
        {
            _closeNotifyReceived = true;
        }
        else if (alertLevel == AlertLevel.fatal)
        {
            FatalAlertReceived = alertDescription;
        }
    }

    public override void ProcessClientExtensions(IDictionary<int, byte[]> clientExtensions)
    {
        base.ProcessClientExtensions(clientExtensions);

        UseSrtpData? offered = clientExtensions is null ? null : TlsSrtpUtilities.GetUseSrtpExtension(clientExtensions);
        if (offered is not null)
        {
            foreach (int supported in SupportedProfiles)
            {
                if (Array.IndexOf(offered.ProtectionProfiles, supported) >= 0)
                {
                    _selectedProfile = supported;
                    break;
                }
            }
        }

        if (_selectedProfile < 0)
        {
            Failure = DtlsHandshakeFailure.NoSrtpProfile;
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "No common SRTP protection profile");
        }
    }

    public override IDictionary<int, byte[]> GetServerExtensions()
    {
        IDictionary<int, byte[]> extensions = base.GetServerExtensions();

        // No MKI: keys are never re-keyed within a session, so the empty srtp_mki is all RFC 5764 §4.1.1 needs.
        TlsSrtpUtilities.AddUseSrtpExtension(extensions, new UseSrtpData([_selectedProfile], TlsUtilities.EmptyBytes));
        return extensions;
    }

    public override CertificateRequest GetCertificateRequest()
    {
        short[] certificateTypes = [ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign];
        IList<SignatureAndHashAlgorithm> signatureAlgorithms = TlsUtilities.GetDefaultSupportedSignatureAlgorithms(m_context);
        return new CertificateRequest(certificateTypes, signatureAlgorithms, null);
    }

    public override void NotifyClientCertificate(Certificate clientCertificate)
    {
        if (clientCertificate is null || clientCertificate.IsEmpty)
        {
            Failure = DtlsHandshakeFailure.NoClientCertificate;
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "No client certificate");
        }

        // Only the end-entity certificate is fingerprinted (RFC 8122 §5); BouncyCastle then checks
        // the CertificateVerify signature, proving the client holds that certificate's key.
        byte[] der = clientCertificate.GetCertificateAt(0).GetEncoded();
        if (!_remoteFingerprint.Matches(der))
        {
            Failure = DtlsHandshakeFailure.FingerprintMismatch;
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "Client certificate does not match the SDP fingerprint");
        }
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();

        // Must happen here: DtlsServerProtocol clears the master secret as Accept returns.
        var profile = (ushort)_selectedProfile;
        int length = 2 * (SrtpProtectionProfileId.MasterKeyLength(profile) + SrtpProtectionProfileId.MasterSaltLength(profile));
        byte[] material = m_context.ExportKeyingMaterial(DtlsSrtpKeys.ExporterLabel, null, length);
        Keys = DtlsSrtpKeys.FromKeyingMaterial(profile, material, isServer: true);
        Array.Clear(material);
    }

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    protected override int[] GetSupportedCipherSuites() =>
        TlsUtilities.GetSupportedCipherSuites(Crypto, _certificate.IsEcdsa ? EcdsaCipherSuites : RsaCipherSuites);

    protected override bool PreferLocalCipherSuites() => true;

    protected override TlsCredentialedSigner GetECDsaSignerCredentials() => CreateSigner(SignatureAlgorithm.ecdsa);

    protected override TlsCredentialedSigner GetRsaSignerCredentials() => CreateSigner(SignatureAlgorithm.rsa);

    private BcDefaultTlsCredentialedSigner CreateSigner(short signatureAlgorithm)
    {
        SignatureAndHashAlgorithm algorithm = TlsUtilities.ChooseSignatureAndHashAlgorithm(
            m_context, m_context.SecurityParameters.ClientSigAlgs, signatureAlgorithm);
        return new BcDefaultTlsCredentialedSigner(
            new TlsCryptoParameters(m_context), _crypto, _certificate.PrivateKey, _certificate.CreateChain(_crypto), algorithm);
    }
}
