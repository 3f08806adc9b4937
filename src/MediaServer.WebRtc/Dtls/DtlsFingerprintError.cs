namespace MediaServer.WebRtc.Dtls;

/// <summary>Why an SDP <c>a=fingerprint</c> value was rejected; <see cref="None"/> when it was accepted.</summary>
public enum DtlsFingerprintError
{
    None,

    /// <summary>Nothing but white space.</summary>
    Empty,

    /// <summary>A hash function name with no fingerprint after it.</summary>
    MissingValue,

    /// <summary>A hash function this server cannot compute (md2, md5, sha-1, sha-224, or unknown).</summary>
    UnsupportedAlgorithm,

    /// <summary>The fingerprint is not colon-separated pairs of hex digits.</summary>
    InvalidHex,

    /// <summary>The number of bytes does not match the hash function's output size.</summary>
    WrongLength,
}
