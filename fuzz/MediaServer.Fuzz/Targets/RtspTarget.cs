using System.Buffers;
using System.Text;
using MediaServer.Rtsp.Protocol;

namespace MediaServer.Fuzz.Targets;

/// <summary>
/// The RTSP connection input: pipelined requests through <see cref="RtspRequestParser"/> (whole
/// and split into segments fed a piece at a time, which must agree), the Transport header and
/// request URI of every request that parses, and TCP-interleaved frames.
/// </summary>
public static class RtspTarget
{
    private static readonly RtspRequestParser Parser = new(new RtspLimits { MaxBodyLength = 4096 });

    public static FuzzTarget Target { get; } = new(
        "rtsp",
        "RtspRequestParser (whole and segmented), TransportHeader, RtspUri, InterleavedFrame",
        Run,
        Seeds);

    public static void Run(ReadOnlySpan<byte> data)
    {
        byte[] bytes = data.ToArray();
        List<string> whole = ParseAll(new ReadOnlySequence<byte>(bytes));
        List<string> pieces = ParseIncrementally(bytes);
        InvariantViolationException.Unless(whole.SequenceEqual(pieces),
            $"segmented parse differs: [{string.Join(" | ", whole)}] vs [{string.Join(" | ", pieces)}]");
        ReadFrames(bytes);
    }

    /// <summary>Parses pipelined requests until one is incomplete or rejected; describes each outcome.</summary>
    private static List<string> ParseAll(ReadOnlySequence<byte> buffer)
    {
        var outcomes = new List<string>();
        var request = new RtspRequest();
        while (true)
        {
            long before = buffer.Length;
            RtspParseStatus status = Parser.TryParseRequest(ref buffer, request, out RtspRejectionReason reason);
            if (status == RtspParseStatus.Complete)
            {
                InvariantViolationException.Unless(buffer.Length < before, "a complete request consumed nothing");
                outcomes.Add(Describe(request));
                request.Reset();
                continue;
            }

            InvariantViolationException.Unless(buffer.Length == before, $"{status} consumed input");
            if (status == RtspParseStatus.Rejected)
            {
                InvariantViolationException.Unless(reason != RtspRejectionReason.None, "rejected without a reason");
                int code = RtspRejection.StatusCode(reason);
                InvariantViolationException.Unless(code is >= 400 and < 600, $"rejection status {code}");
                outcomes.Add("rejected " + reason);
            }
            else
            {
                InvariantViolationException.Unless(reason == RtspRejectionReason.None, "incomplete with a rejection reason");
                outcomes.Add("incomplete");
            }

            return outcomes;
        }
    }

    /// <summary>
    /// Feeds the same bytes the way a PipeReader does when data trickles in: the unconsumed
    /// buffer grows (here one to 17 bytes at a time, as multi-segment sequences), and the
    /// request keeps its scan progress between calls.
    /// </summary>
    private static List<string> ParseIncrementally(byte[] bytes)
    {
        var outcomes = new List<string>();
        var request = new RtspRequest();
        int start = 0;
        int end = 0;
        while (true)
        {
            end = Math.Min(bytes.Length, end + 1 + ((bytes.Length - end) % 17));
            ReadOnlySequence<byte> buffer = Segments.Of(bytes, start, end);
            while (true)
            {
                RtspParseStatus status = Parser.TryParseRequest(ref buffer, request, out RtspRejectionReason reason);
                if (status == RtspParseStatus.Complete)
                {
                    outcomes.Add(Describe(request));
                    request.Reset();
                    start = end - (int)buffer.Length;
                    continue;
                }

                if (status == RtspParseStatus.Rejected)
                {
                    outcomes.Add("rejected " + reason);
                    return outcomes;
                }

                break;
            }

            if (end == bytes.Length)
            {
                outcomes.Add("incomplete");
                return outcomes;
            }
        }
    }

    private static string Describe(RtspRequest request)
    {
        InvariantViolationException.Unless(request.MethodName.Length > 0 && request.Uri.Length > 0, "a request without method or URI");
        InvariantViolationException.Unless(request.Headers.Count <= Parser.Limits.MaxHeaderCount, "more headers than the limit");
        InvariantViolationException.Unless(request.Body.Length <= Parser.Limits.MaxBodyLength, "a body over the limit");
        string? contentLength = request["Content-Length"];
        InvariantViolationException.Unless(
            contentLength is null ? request.Body.IsEmpty : request.Body.Length == long.Parse(contentLength, System.Globalization.CultureInfo.InvariantCulture),
            "the body length disagrees with Content-Length");

        if (request["Transport"] is { } transport)
        {
            CheckTransport(transport);
        }

        _ = RtspUri.TryParse(request.Uri, out _);
        return $"{request.MethodName} {request.Uri} cseq={request.CSeq} headers={request.Headers.Count} body={Convert.ToHexString(request.Body.Span)}";
    }

    /// <summary>A Transport header that parses must, once written back, parse to the same text again.</summary>
    public static void CheckTransport(string value)
    {
        if (!TransportHeader.TryParse(value, out IReadOnlyList<TransportSpec> specs, out TransportParseError error, out string? message))
        {
            InvariantViolationException.Unless(error != TransportParseError.None && message is not null, "a Transport failure without a reason");
            return;
        }

        InvariantViolationException.Unless(specs.Count > 0 && error == TransportParseError.None, "a Transport success without specs");
        foreach (TransportSpec spec in specs)
        {
            string written = spec.Format();
            if (TransportHeader.TryParse(written, out IReadOnlyList<TransportSpec> again, out _, out _))
            {
                InvariantViolationException.Unless(again.Count == 1 && again[0].Format() == written, $"Transport '{written}' does not round-trip");
            }
        }
    }

    private static void ReadFrames(byte[] bytes)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        while (true)
        {
            long before = buffer.Length;
            InterleavedReadStatus status = InterleavedFrame.TryRead(ref buffer, 1500, out _, out ReadOnlySequence<byte> payload);
            if (status != InterleavedReadStatus.Complete)
            {
                InvariantViolationException.Unless(buffer.Length == before, $"{status} consumed input");
                return;
            }

            InvariantViolationException.Unless(payload.Length <= 1500 && before - buffer.Length == InterleavedFrame.HeaderLength + payload.Length,
                "an interleaved frame's consumption disagrees with its length");
        }
    }

    private static IEnumerable<byte[]> Seeds()
    {
        // RFC 2326 §10 examples, as ffmpeg and VLC send them.
        yield return Encoding.ASCII.GetBytes("OPTIONS rtsp://example.com/media.mp4 RTSP/1.0\r\nCSeq: 1\r\nRequire: implicit-play\r\nProxy-Require: gzipped-messages\r\n\r\n");
        yield return Encoding.ASCII.GetBytes("DESCRIBE rtsp://server.example.com/fizzle/foo RTSP/1.0\r\nCSeq: 312\r\nAccept: application/sdp, application/rtsl, application/mheg\r\n\r\n");
        yield return Encoding.ASCII.GetBytes(
            "SETUP rtsp://example.com/foo/bar/baz.rm RTSP/1.0\r\nCSeq: 302\r\nTransport: RTP/AVP;unicast;client_port=4588-4589\r\n\r\n" +
            "PLAY rtsp://example.com/foo/bar/baz.rm RTSP/1.0\r\nCSeq: 303\r\nSession: 12345678;timeout=60\r\nRange: npt=0-\r\n\r\n");
        yield return Encoding.ASCII.GetBytes(
            "SETUP rtsp://127.0.0.1:8554/cam1/trackID=0 RTSP/1.0\r\nCSeq: 3\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record\r\n\r\n");
        string sdp = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=cam\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n";
        yield return Encoding.ASCII.GetBytes(
            $"ANNOUNCE rtsp://127.0.0.1:8554/cam1 RTSP/1.0\r\nCSeq: 2\r\nContent-Type: application/sdp\r\nContent-Length: {sdp.Length}\r\n\r\n{sdp}");
        // Two interleaved frames (RTP on channel 0, RTCP on channel 1), as they follow PLAY on TCP.
        yield return [0x24, 0x00, 0x00, 0x0C, 0x80, 0x60, 0x00, 0x01, 0x00, 0x00, 0x00, 0x10, 0xDE, 0xAD, 0xBE, 0xEF,
            0x24, 0x01, 0x00, 0x08, 0x81, 0xCB, 0x00, 0x01, 0xDE, 0xAD, 0xBE, 0xEF];
    }
}
