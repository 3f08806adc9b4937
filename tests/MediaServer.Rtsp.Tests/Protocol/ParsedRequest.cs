using System.Buffers;
using MediaServer.Rtsp.Protocol;

namespace MediaServer.Rtsp.Tests.Protocol;

/// <summary>
/// A value snapshot of an <see cref="RtspRequest"/> (which is reused), so that results of
/// different ways of feeding the parser can be compared with plain equality.
/// </summary>
internal sealed record ParsedRequest(
    RtspMethod Method, string MethodName, string Uri, string Version, int CSeq, string? Session, string Headers, string BodyHex)
{
    public static ParsedRequest From(RtspRequest request)
    {
        var headers = new List<string>();
        foreach ((string name, string value) in request.Headers)
        {
            headers.Add($"{name}={value}");
        }

        return new ParsedRequest(
            request.Method,
            request.MethodName,
            request.Uri,
            request.Version,
            request.CSeq,
            request.Session,
            string.Join('|', headers),
            Convert.ToHexString(request.Body.Span));
    }

    /// <summary>Parses every complete request in <paramref name="buffer"/> with one reused request object, as a connection does.</summary>
    public static List<ParsedRequest> ParseAll(ReadOnlySequence<byte> buffer, RtspLimits? limits = null)
    {
        var parser = new RtspRequestParser(limits ?? new RtspLimits());
        var request = new RtspRequest();
        var results = new List<ParsedRequest>();
        while (true)
        {
            RtspParseStatus status = parser.TryParseRequest(ref buffer, request, out RtspRejectionReason rejection);
            if (status != RtspParseStatus.Complete)
            {
                Assert.Equal(RtspParseStatus.Incomplete, status);
                Assert.Equal(RtspRejectionReason.None, rejection);
                Assert.True(buffer.IsEmpty, $"{buffer.Length} bytes left unparsed");
                return results;
            }

            results.Add(From(request));
            request.Reset();
        }
    }
}
