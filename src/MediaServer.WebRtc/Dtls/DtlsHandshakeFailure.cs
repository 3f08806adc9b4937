namespace MediaServer.WebRtc.Dtls;

/// <summary>Why a DTLS handshake did not produce SRTP keys.</summary>
public enum DtlsHandshakeFailure
{
    /// <summary>The handshake timeout passed (the peer never spoke, or stopped mid-way).</summary>
    Timeout,

    /// <summary>The session was closed locally while the handshake ran.</summary>
    Closed,

    /// <summary>The client's certificate does not hash to the fingerprint from its offer.</summary>
    FingerprintMismatch,

    /// <summary>The client presented no certificate; WebRTC requires mutual authentication.</summary>
    NoClientCertificate,

    /// <summary>The client did not offer use_srtp, or none of its profiles is one we support.</summary>
    NoSrtpProfile,

    /// <summary>The client sent a fatal alert (see <see cref="DtlsHandshakeException.AlertDescription"/>).</summary>
    AlertReceived,

    /// <summary>Any other protocol failure: no common cipher suite or version, bad message, no extended master secret.</summary>
    ProtocolError,
}
