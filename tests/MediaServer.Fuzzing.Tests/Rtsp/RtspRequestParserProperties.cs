using System.Buffers;
using System.Text;
using MediaServer.Fuzz;
using MediaServer.Fuzz.Targets;
using MediaServer.Fuzzing.Tests.Generators;
using MediaServer.Rtsp.Protocol;

namespace MediaServer.Fuzzing.Tests.Rtsp;

/// <summary>
/// The RTSP request parser against hostile connections: any bytes give Complete, Incomplete or a
/// typed rejection (never an exception), however they are split; a well-formed request comes back
/// field for field; and one connection's garbage does not change what another connection parses.
/// </summary>
public class RtspRequestParserProperties
{
    private static readonly string[] Grammar =
    [
        "OPTIONS", "DESCRIBE", "SETUP", "PLAY", "ANNOUNCE", "RECORD", "TEARDOWN", "GET_PARAMETER", " ", " ", "\r\n", "\r\n", "\n", "\r",
        "rtsp://127.0.0.1:8554/cam1", "/trackID=0", "RTSP/1.0", "RTSP/2.0", "HTTP/1.1", "CSeq: ", "Content-Length: ", "Session: ",
        "Transport: ", "RTP/AVP/TCP;unicast;interleaved=0-1", ";client_port=", ":", "\t", "$", "\0", "-1", "99999999999999999999",
    ];

    private static readonly RtspRequestParser Parser = new(new RtspLimits());

    private static readonly List<byte[]> Seeds = RtspTarget.Target.Seeds().ToList();

    [Fact]
    public void Arbitrary_bytes_parse_to_a_typed_outcome_whole_or_in_pieces() =>
        Gen.Byte.Array[0, 400].Sample(bytes => RtspTarget.Run(bytes), iter: Budget.Cheap);

    [Fact]
    public void Request_shaped_text_parses_to_a_typed_outcome_whole_or_in_pieces() =>
        TokenSoup.BytesOf(40, Grammar).Sample(bytes => RtspTarget.Run(bytes), iter: Budget.Cheap);

    [Fact]
    public void Damaged_rfc_requests_parse_to_a_typed_outcome_whole_or_in_pieces() =>
        Mutations.Bytes(Seeds).Sample(bytes => RtspTarget.Run(bytes), iter: Budget.Cheap);

    private static readonly Gen<string> Token = Gen.String[Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'"], 1, 12];

    private static readonly Gen<(string Method, string Uri, (string Name, string Value)[] Headers, byte[] Body)> Requests =
        Gen.Select(
            Gen.OneOf(Gen.OneOf("OPTIONS", "DESCRIBE", "SETUP", "PLAY", "ANNOUNCE", "TEARDOWN"), Token),
            Gen.String[Gen.Char['!', '~'], 1, 60].Select(path => "rtsp://127.0.0.1:8554/" + path),
            Gen.Select(Token.Where(n => !n.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)), Gen.String[Gen.Char[' ', '~'], 0, 40])
                .Select(h => (h.Item1, h.Item2.Trim()))
                .Array[0, 12],
            Gen.Byte.Array[0, 300]);

    [Fact]
    public void A_well_formed_request_comes_back_field_for_field_and_consumes_exactly_itself() =>
        Gen.Select(Requests, Gen.Byte.Array[0, 20]).Sample((request, trailing) =>
        {
            var text = new StringBuilder($"{request.Method} {request.Uri} RTSP/1.0\r\nCSeq: 7\r\n");
            foreach ((string name, string value) in request.Headers)
            {
                text.Append(name).Append(": ").Append(value).Append("\r\n");
            }

            text.Append("Content-Length: ").Append(request.Body.Length).Append("\r\n\r\n");
            byte[] message = [.. Encoding.ASCII.GetBytes(text.ToString()), .. request.Body];
            byte[] bytes = [.. message, .. trailing];

            var buffer = Segments.Of(bytes, 0, bytes.Length);
            var parsed = new RtspRequest();
            Assert.Equal(RtspParseStatus.Complete, Parser.TryParseRequest(ref buffer, parsed, out RtspRejectionReason reason));
            Assert.Equal(RtspRejectionReason.None, reason);
            Assert.Equal(trailing.Length, buffer.Length);
            Assert.Equal(request.Method, parsed.MethodName);
            Assert.Equal(request.Uri, parsed.Uri);
            Assert.Equal(7, parsed.CSeq);
            Assert.Equal(request.Headers.Length + 2, parsed.Headers.Count);
            for (int i = 0; i < request.Headers.Length; i++)
            {
                Assert.Equal(request.Headers[i], parsed.Headers[i + 1]);
            }

            Assert.Equal(request.Body, parsed.Body.ToArray());
        }, iter: Budget.Text);

    [Fact]
    public void Garbage_on_one_connection_does_not_change_what_another_parses()
    {
        // One parser serves every connection; each connection has its own RtspRequest. Feeding a
        // hostile connection between every byte of an honest one must leave the honest one's
        // request exactly as when it is parsed alone.
        Gen.Select(Gen.Int[0, Seeds.Count - 1], Gen.Byte.Array[1, 64].Array[1, 8]).Sample((index, garbage) =>
        {
            byte[] honest = Seeds[index];
            List<string> alone = Outcomes(honest, []);
            List<string> interleaved = Outcomes(honest, garbage);
            Assert.Equal(alone, interleaved);
        }, iter: Budget.Text);
    }

    /// <summary>Parses <paramref name="honest"/> byte by byte, with a hostile connection's chunks parsed in between.</summary>
    private static List<string> Outcomes(byte[] honest, byte[][] garbage)
    {
        var outcomes = new List<string>();
        var request = new RtspRequest();
        var hostile = new RtspRequest();
        int start = 0;
        for (int end = 1; end <= honest.Length; end++)
        {
            if (garbage.Length > 0)
            {
                var bad = new ReadOnlySequence<byte>(garbage[end % garbage.Length]);
                _ = Parser.TryParseRequest(ref bad, hostile, out _);
            }

            var buffer = new ReadOnlySequence<byte>(honest, start, end - start);
            RtspParseStatus status;
            while ((status = Parser.TryParseRequest(ref buffer, request, out RtspRejectionReason reason)) == RtspParseStatus.Complete)
            {
                outcomes.Add($"{request.MethodName} {request.Uri} {request.CSeq} {request.Headers.Count} {Convert.ToHexString(request.Body.Span)}");
                request.Reset();
                start = end - (int)buffer.Length;
            }

            if (status == RtspParseStatus.Rejected)
            {
                outcomes.Add("rejected");
                break;
            }
        }

        return outcomes;
    }
}
