namespace MediaServer.WebRtc.Dtls;

/// <summary>A DTLS handshake failed; <see cref="Reason"/> says why in terms the session can act on.</summary>
public sealed class DtlsHandshakeException : Exception
{
    public DtlsHandshakeException()
        : this(DtlsHandshakeFailure.ProtocolError, null, "DTLS handshake failed.", null)
    {
    }

    public DtlsHandshakeException(string message)
        : this(DtlsHandshakeFailure.ProtocolError, null, message, null)
    {
    }

    public DtlsHandshakeException(string message, Exception? innerException)
        : this(DtlsHandshakeFailure.ProtocolError, null, message, innerException)
    {
    }

    public DtlsHandshakeException(DtlsHandshakeFailure reason, short? alertDescription, string message, Exception? innerException)
        : base(message, innerException)
    {
        Reason = reason;
        AlertDescription = alertDescription;
    }

    public DtlsHandshakeFailure Reason { get; }

    /// <summary>The TLS alert sent or received (RFC 5246 §7.2 AlertDescription), when one was.</summary>
    public short? AlertDescription { get; }
}
