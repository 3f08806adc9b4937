using System.Buffers;

namespace MediaServer.Rtsp.Protocol;

/// <summary>
/// One parsed RTSP request. A connection keeps a single instance and the parser refills it for
/// every request, so the header list and the body array are allocated once per connection.
/// Call <see cref="Reset"/> between requests; the parser also clears it when it starts a new one.
/// </summary>
public sealed class RtspRequest
{
    /// <summary>The only version this server speaks; requests for others are rejected.</summary>
    public const string Rtsp10 = "RTSP/1.0";

    private byte[] _bodyBuffer = [];

    internal RtspParseProgress Progress;

    public RtspRequest() => Reset();

    public RtspMethod Method { get; private set; }

    /// <summary>The method token as sent; for <see cref="RtspMethod.Unknown"/> it is the only way to know what was asked.</summary>
    public string MethodName { get; private set; } = string.Empty;

    /// <summary>The request URI as sent, e.g. "rtsp://127.0.0.1:8554/cam1/trackID=0"; see <see cref="RtspUri"/>.</summary>
    public string Uri { get; private set; } = string.Empty;

    public string Version { get; private set; } = string.Empty;

    /// <summary>The CSeq header, or -1 when it is missing or not a non-negative 32-bit number.</summary>
    public int CSeq { get; private set; }

    public RtspHeaders Headers { get; } = new();

    /// <summary>
    /// The body (Content-Length bytes), copied out of the connection's buffer so it outlives the
    /// read. Valid until <see cref="Reset"/> or the next parse into this instance.
    /// </summary>
    public ReadOnlyMemory<byte> Body { get; private set; }

    /// <summary>The session id from the Session header, without parameters such as ";timeout=60".</summary>
    public string? Session { get; private set; }

    /// <summary>The first header with this name (case-insensitive), or null.</summary>
    public string? this[string headerName] => Headers.Get(headerName);

    /// <summary>Clears everything, keeping the allocated header list and body array for the next request.</summary>
    public void Reset()
    {
        ClearContent();
        Progress = default;
    }

    internal void ClearContent()
    {
        Method = RtspMethod.Unknown;
        MethodName = string.Empty;
        Uri = string.Empty;
        Version = string.Empty;
        CSeq = -1;
        Headers.Clear();
        Body = ReadOnlyMemory<byte>.Empty;
        Session = null;
    }

    internal void SetRequestLine(RtspMethod method, string methodName, string uri, string version)
    {
        Method = method;
        MethodName = methodName;
        Uri = uri;
        Version = version;
    }

    internal void SetCSeq(int cseq) => CSeq = cseq;

    internal void AddHeader(string name, string value)
    {
        Headers.Add(name, value);

        // Only the first Session header counts, like every other single-valued lookup here.
        if (Session is null && string.Equals(name, RtspHeaderNames.Session, StringComparison.OrdinalIgnoreCase))
        {
            // RFC 2326 §12.37: session-id [ ";" "timeout" "=" delta-seconds ].
            int semicolon = value.IndexOf(';', StringComparison.Ordinal);
            Session = semicolon < 0 ? value : value[..semicolon].TrimEnd(' ', '\t');
        }
    }

    internal void SetBody(in ReadOnlySequence<byte> body)
    {
        if (body.IsEmpty)
        {
            Body = ReadOnlyMemory<byte>.Empty;
            return;
        }

        int length = checked((int)body.Length);
        if (_bodyBuffer.Length < length)
        {
            // Grow once to the largest body this connection has sent; bounded by MaxBodyLength.
            _bodyBuffer = new byte[length];
        }

        body.CopyTo(_bodyBuffer);
        Body = new ReadOnlyMemory<byte>(_bodyBuffer, 0, length);
    }
}
