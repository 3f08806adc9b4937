namespace MediaServer.Rtsp.Protocol;

/// <summary>
/// How far the parser got in a request that was still incomplete, kept on the per-connection
/// <see cref="RtspRequest"/> so that a request arriving a few bytes at a time is scanned once,
/// not once per arrival (which would let a slow sender cost us quadratic work).
/// Offsets are from the start of the unconsumed buffer, which the PipeReader contract keeps
/// fixed while nothing is consumed. The default value is the state before the first byte.
/// </summary>
internal struct RtspParseProgress
{
    /// <summary>Where the next unscanned line starts.</summary>
    public long ScanOffset;

    /// <summary>Offset of the request line; empty lines before it are skipped.</summary>
    public long RequestLineStart;

    /// <summary>True once the request line's LF has been seen.</summary>
    public bool SawRequestLine;

    /// <summary>Offset just past the request line's LF, once <see cref="SawRequestLine"/>.</summary>
    public long HeadersStart;

    /// <summary>Header lines seen so far.</summary>
    public int HeaderCount;

    /// <summary>Offset just past the empty line ending the header section, once the section has been parsed.</summary>
    public long HeaderSectionEnd;

    /// <summary>Content-Length of a request whose header section is parsed and whose body is awaited.</summary>
    public long BodyLength;

    /// <summary>True once the header section has been parsed into the request.</summary>
    public bool HeadersParsed;
}
