using System.Globalization;
using System.Text;

namespace MediaServer.LoadGenerator;

/// <summary>One RTSP request a pulled camera received: request line, headers, body.</summary>
internal sealed class CameraRtspRequest
{
    public const int MaxHeaderBytes = 16 * 1024;
    public const int MaxBodyBytes = 64 * 1024;

    private readonly Dictionary<string, string> _headers;

    private CameraRtspRequest(string method, string uri, int cseq, Dictionary<string, string> headers, string body)
    {
        Method = method;
        Uri = uri;
        CSeq = cseq;
        _headers = headers;
        Body = body;
    }

    public string Method { get; }

    public string Uri { get; }

    public int CSeq { get; }

    public string Body { get; }

    public string? Header(string name) => _headers.TryGetValue(name, out string? value) ? value : null;

    /// <summary>The Session header's id, without parameters such as <c>;timeout=</c>.</summary>
    public string? SessionId => Header("Session")?.Split(';')[0].Trim();

    /// <summary>
    /// Reads one request from the start of <paramref name="data"/>. Incomplete: wait for more bytes.
    /// Bad: <paramref name="error"/> says why, and <paramref name="cseq"/> is the request's CSeq when
    /// it could be read (the 400 echoes it); the connection cannot find the next request and ends.
    /// </summary>
    public static RequestParse TryParse(ReadOnlySpan<byte> data, out CameraRtspRequest? request, out int consumed, out string? error, out int? cseq)
    {
        request = null;
        consumed = 0;
        error = null;
        cseq = null;
        int headerEnd = data.IndexOf("\r\n\r\n"u8);
        if (headerEnd < 0)
        {
            if (data.Length <= MaxHeaderBytes)
            {
                return RequestParse.Incomplete;
            }

            error = $"the request's headers are longer than {MaxHeaderBytes} bytes";
            return RequestParse.Bad;
        }

        if (headerEnd > MaxHeaderBytes)
        {
            error = $"the request's headers are longer than {MaxHeaderBytes} bytes";
            return RequestParse.Bad;
        }

        string[] lines = Encoding.ASCII.GetString(data[..headerEnd]).Split("\r\n");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 1; i < lines.Length; i++)
        {
            int colon = lines[i].IndexOf(':');
            if (colon <= 0)
            {
                error = $"header line '{lines[i]}' has no name";
                return RequestParse.Bad;
            }

            headers[lines[i][..colon].Trim()] = lines[i][(colon + 1)..].Trim();
        }

        if (headers.TryGetValue("CSeq", out string? cseqText) && int.TryParse(cseqText, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
        {
            cseq = number;
        }

        string[] requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || !IsToken(requestLine[0]) || requestLine[1].Length == 0)
        {
            error = $"'{lines[0]}' is not a request line (METHOD URI RTSP/1.0)";
            return RequestParse.Bad;
        }

        if (requestLine[2] != "RTSP/1.0")
        {
            error = $"version '{requestLine[2]}' is not RTSP/1.0";
            return RequestParse.Bad;
        }

        if (cseq is null)
        {
            error = "the request has no valid CSeq";
            return RequestParse.Bad;
        }

        int bodyLength = 0;
        if (headers.TryGetValue("Content-Length", out string? lengthText)
            && (!int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out bodyLength) || bodyLength > MaxBodyBytes))
        {
            error = $"Content-Length '{lengthText}' is not a length up to {MaxBodyBytes}";
            return RequestParse.Bad;
        }

        int bodyStart = headerEnd + 4;
        if (data.Length - bodyStart < bodyLength)
        {
            return RequestParse.Incomplete;
        }

        consumed = bodyStart + bodyLength;
        request = new CameraRtspRequest(requestLine[0], requestLine[1], cseq.Value, headers,
            Encoding.UTF8.GetString(data.Slice(bodyStart, bodyLength)));
        return RequestParse.Complete;
    }

    private static bool IsToken(string method)
    {
        foreach (char c in method)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                return false;
            }
        }

        return method.Length > 0;
    }
}
