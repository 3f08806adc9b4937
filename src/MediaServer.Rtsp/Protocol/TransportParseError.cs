namespace MediaServer.Rtsp.Protocol;

/// <summary>
/// Why a Transport header could not be parsed. Every value here means the header is malformed,
/// which the session answers with 400 Bad Request. A header that parses but whose specs the
/// server cannot serve (another profile, lower transport, or mode) is not an error of this
/// parser: the session walks the specs in the client's order, takes the first it supports,
/// and answers 461 Unsupported Transport when there is none.
/// </summary>
public enum TransportParseError
{
    None,

    /// <summary>The header is empty or only whitespace and commas.</summary>
    Empty,

    /// <summary>The transport-protocol/profile[/lower-transport] part is not made of tokens.</summary>
    InvalidProtocol,

    /// <summary>A parameter is syntactically broken (missing value, unbalanced quote, stray characters).</summary>
    InvalidParameter,

    /// <summary>A port or port range is not within 1..65535.</summary>
    InvalidPort,

    /// <summary>An interleaved channel or range is not within 0..255.</summary>
    InvalidInterleavedChannel,

    /// <summary>The ssrc is not 1 to 8 hexadecimal digits.</summary>
    InvalidSsrc,

    /// <summary>The ttl is not within 0..255.</summary>
    InvalidTtl,
}
