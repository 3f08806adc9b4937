using System.Buffers;
using System.Text;
using MediaServer.Rtsp.Protocol;

namespace MediaServer.Rtsp.Tests.Protocol;

public sealed class RtspResponseParserTests
{
    private static readonly RtspResponseParser Parser = new(new RtspLimits());

    private const string Describe =
        "RTSP/1.0 200 OK\r\nCSeq: 3\r\nContent-Base: rtsp://cam/live/\r\nContent-Type: application/sdp\r\n" +
        "Server: Cam 1.0\r\nContent-Length: 10\r\n\r\nv=0\r\ns=x\r\n";

    [Fact]
    public void A_DESCRIBE_answer_gives_status_headers_and_body_and_is_consumed()
    {
        var buffer = Sequences.Single(Encoding.UTF8.GetBytes(Describe + "$"));
        var response = new RtspResponse();

        Assert.Equal(RtspParseStatus.Complete, Parser.TryParse(ref buffer, response, out string? error));

        Assert.Null(error);
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("OK", response.ReasonPhrase);
        Assert.Equal(3, response.CSeq);
        Assert.Equal("rtsp://cam/live/", response.Headers.Get("content-base"));
        Assert.Equal("application/sdp", response.ContentType);
        Assert.Equal("Cam 1.0", response.Server);
        Assert.Equal("v=0\r\ns=x\r\n", Encoding.UTF8.GetString(response.Body.Span));
        Assert.Equal(1, buffer.Length); // the '$' of what follows is left
    }

    [Fact]
    public void An_answer_cut_into_segments_is_incomplete_until_its_body_is_in()
    {
        byte[] bytes = Encoding.UTF8.GetBytes(Describe);
        var response = new RtspResponse();
        var head = Sequences.Single(bytes[..40]);
        var withoutBody = Sequences.Single(bytes[..^3]);
        var whole = Sequences.SplitAt(bytes, 5, 30, bytes.Length - 4);

        Assert.Equal(RtspParseStatus.Incomplete, Parser.TryParse(ref head, response, out _));
        Assert.Equal(RtspParseStatus.Incomplete, Parser.TryParse(ref withoutBody, response, out _));
        Assert.Equal(RtspParseStatus.Complete, Parser.TryParse(ref whole, response, out _));
        Assert.Equal(10, response.Body.Length);
    }

    [Fact]
    public void Bare_LF_line_ends_and_a_missing_reason_phrase_are_accepted()
    {
        var buffer = Sequences.Single(Encoding.ASCII.GetBytes("RTSP/1.0 454\nCSeq: 7\nSession: 1\n\n"));
        var response = new RtspResponse();

        Assert.Equal(RtspParseStatus.Complete, Parser.TryParse(ref buffer, response, out _));
        Assert.Equal(454, response.StatusCode);
        Assert.Equal("1", response.Headers.Get("Session"));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\n\r\n")]
    [InlineData("RTSP/1.0 2000 OK\r\n\r\n")]
    [InlineData("RTSP/1.0 OK\r\n\r\n")]
    [InlineData("RTSP/1.0 200 OK\r\nCSeq: x\r\n\r\n")]
    [InlineData("RTSP/1.0 200 OK\r\nno colon here\r\n\r\n")]
    [InlineData("RTSP/1.0 200 OK\r\nContent-Length: -1\r\n\r\n")]
    [InlineData("RTSP/1.0 200 OK\r\nContent-Length: 70000\r\n\r\n")]
    public void Malformed_answers_are_rejected_with_a_reason(string text)
    {
        var buffer = Sequences.Single(Encoding.ASCII.GetBytes(text));

        Assert.Equal(RtspParseStatus.Rejected, Parser.TryParse(ref buffer, new RtspResponse(), out string? error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void A_head_that_never_ends_is_rejected_at_the_limit()
    {
        var limits = new RtspLimits { MaxRequestLineLength = 64, MaxHeaderBytes = 128 };
        var buffer = Sequences.Single(Encoding.ASCII.GetBytes("RTSP/1.0 200 OK\r\n" + string.Concat(Enumerable.Repeat("X-Filler: abcdefgh\r\n", 20))));

        Assert.Equal(RtspParseStatus.Rejected, new RtspResponseParser(limits).TryParse(ref buffer, new RtspResponse(), out _));
    }

    [Theory]
    [InlineData("12345678;timeout=30", "12345678", 30)]
    [InlineData("ABCD", "ABCD", 60)]
    [InlineData(" 9x ; timeout=5 ", "9x", 5)]
    public void Session_headers_give_the_id_and_the_timeout(string value, string id, int timeout)
    {
        Assert.True(SessionHeader.TryParse(value, out SessionHeader session));
        Assert.Equal(id, session.Id);
        Assert.Equal(timeout, session.TimeoutSeconds);
    }

    [Fact]
    public void A_request_is_written_with_CSeq_first_and_refuses_injected_lines()
    {
        var output = new ArrayBufferWriter<byte>();

        RtspRequestWriter.Write(output, "SETUP", "rtsp://cam/live/trackID=0", 4, [("Transport", "RTP/AVP/TCP;unicast;interleaved=0-1")]);

        Assert.Equal("SETUP rtsp://cam/live/trackID=0 RTSP/1.0\r\nCSeq: 4\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n",
            Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.Throws<ArgumentException>(() => RtspRequestWriter.Write(output, "OPTIONS", "rtsp://cam/\r\nX: y", 5, []));
    }
}
