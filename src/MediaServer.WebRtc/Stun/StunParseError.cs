namespace MediaServer.WebRtc.Stun;

/// <summary>Why a datagram is not a STUN message this server can use.</summary>
public enum StunParseError
{
    None,
    TooShort,
    NotStun,
    BadMagicCookie,
    LengthMismatch,
    AttributeTruncated,

    /// <summary>An attribute after MESSAGE-INTEGRITY other than FINGERPRINT (RFC 8489 §14.5).</summary>
    AttributeAfterIntegrity,
}
