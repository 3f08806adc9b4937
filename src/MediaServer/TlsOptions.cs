namespace MediaServer;

/// <summary>
/// Configuration section <c>Tls</c>: the certificate of RTSPS (<c>Rtsp:TlsPort</c>) and HTTPS
/// (<c>Http:TlsPort</c>), served through Kestrel's own TLS. Empty <see cref="CertificatePath"/>
/// means no TLS listener at all.
/// </summary>
public sealed class TlsOptions
{
    /// <summary>A PKCS#12 file (.pfx/.p12), or a PEM certificate when <see cref="KeyPath"/> is set.</summary>
    public string CertificatePath { get; set; } = string.Empty;

    /// <summary>Password of a PKCS#12 file or of an encrypted PEM key.</summary>
    public string CertificatePassword { get; set; } = string.Empty;

    /// <summary>The PEM private key that goes with a PEM <see cref="CertificatePath"/>.</summary>
    public string KeyPath { get; set; } = string.Empty;

    /// <summary>Seconds a client may take to finish the TLS handshake.</summary>
    public int HandshakeTimeoutSeconds { get; set; } = 10;

    public bool IsEnabled => CertificatePath.Length > 0;
}
