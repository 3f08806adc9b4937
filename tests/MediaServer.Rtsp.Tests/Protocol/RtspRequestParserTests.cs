using System.Buffers;
using System.Text;
using MediaServer.Rtsp.Protocol;
using static MediaServer.Rtsp.Tests.Protocol.Sequences;

namespace MediaServer.Rtsp.Tests.Protocol;

public class RtspRequestParserTests
{
    private readonly RtspRequestParser _parser = new(new RtspLimits());
    private readonly RtspRequest _request = new();

    private RtspParseStatus Parse(byte[] data, out RtspRejectionReason rejection, out long remaining)
    {
        ReadOnlySequence<byte> buffer = Single(data);
        RtspParseStatus status = _parser.TryParseRequest(ref buffer, _request, out rejection);
        remaining = buffer.Length;
        return status;
    }

    private void ParseComplete(string text)
    {
        RtspParseStatus status = Parse(Ascii(text), out RtspRejectionReason rejection, out long remaining);
        Assert.Equal(RtspRejectionReason.None, rejection);
        Assert.Equal(RtspParseStatus.Complete, status);
        Assert.Equal(0, remaining);
    }

    [Fact]
    public void RFC_2326_14_1_SETUP_example()
    {
        // RFC 2326 §14.1, "Media on Demand (Unicast)", C->A.
        ParseComplete(Encoding.ASCII.GetString(Crlf(
            "SETUP rtsp://audio.example.com/twister/audio.en RTSP/1.0\n"
            + "CSeq: 1\n"
            + "Transport: RTP/AVP/UDP;unicast;client_port=3056-3057\n"
            + "\n")));

        Assert.Equal(RtspMethod.Setup, _request.Method);
        Assert.Equal("SETUP", _request.MethodName);
        Assert.Equal("rtsp://audio.example.com/twister/audio.en", _request.Uri);
        Assert.Equal("RTSP/1.0", _request.Version);
        Assert.Equal(1, _request.CSeq);
        Assert.Equal("RTP/AVP/UDP;unicast;client_port=3056-3057", _request["Transport"]);
        Assert.Null(_request.Session);
        Assert.True(_request.Body.IsEmpty);
    }

    [Fact]
    public void RFC_2326_14_1_PLAY_example_with_session_and_SMPTE_range()
    {
        ParseComplete(Encoding.ASCII.GetString(Crlf(
            "PLAY rtsp://audio.example.com/twister/audio.en RTSP/1.0\n"
            + "CSeq: 2\n"
            + "Session: 12345678\n"
            + "Range: smpte=0:10:00-\n"
            + "\n")));

        Assert.Equal(RtspMethod.Play, _request.Method);
        Assert.Equal(2, _request.CSeq);
        Assert.Equal("12345678", _request.Session);
        Assert.Equal("smpte=0:10:00-", _request["range"]);
    }

    [Fact]
    public void RFC_2326_10_3_ANNOUNCE_example_carries_its_SDP_body()
    {
        string sdp = string.Join("\r\n",
            "v=0",
            "o=mhandley 2890844526 2890845468 IN IP4 126.16.64.4",
            "s=SDP Seminar",
            "i=A Seminar on the session description protocol",
            "u=http://www.cs.ucl.ac.uk/staff/M.Handley/sdp.03.ps",
            "e=mjh@isi.edu (Mark Handley)",
            "c=IN IP4 224.2.17.12/127",
            "t=2873397496 2873404696",
            "a=recvonly",
            "m=audio 3456 RTP/AVP 0",
            "m=video 2232 RTP/AVP 31",
            string.Empty);
        ParseComplete(
            "ANNOUNCE rtsp://server.example.com/fizzle/foo RTSP/1.0\r\n"
            + "CSeq: 312\r\n"
            + "Date: 23 Jan 1997 15:35:06 GMT\r\n"
            + "Session: 47112344\r\n"
            + "Content-Type: application/sdp\r\n"
            + $"Content-Length: {sdp.Length}\r\n"
            + "\r\n"
            + sdp);

        Assert.Equal(RtspMethod.Announce, _request.Method);
        Assert.Equal(312, _request.CSeq);
        Assert.Equal("47112344", _request.Session);
        Assert.Equal("application/sdp", _request["Content-Type"]);
        Assert.Equal(sdp, Encoding.ASCII.GetString(_request.Body.Span));
    }

    [Fact]
    public void FFmpeg_ANNOUNCE_body_is_exactly_the_SDP_and_nothing_after_it()
    {
        byte[] data = Ascii(ClientRequests.FfmpegAnnounce(2) + ClientRequests.FfmpegSetupTcpRecord(3, 0, null));
        RtspParseStatus status = Parse(data, out _, out long remaining);

        Assert.Equal(RtspParseStatus.Complete, status);
        Assert.Equal(RtspMethod.Announce, _request.Method);
        Assert.Equal(ClientRequests.FfmpegSdp, Encoding.UTF8.GetString(_request.Body.Span));
        Assert.Equal(ClientRequests.FfmpegUserAgent, _request["User-Agent"]);
        Assert.Equal(Ascii(ClientRequests.FfmpegSetupTcpRecord(3, 0, null)).Length, remaining);
    }

    [Fact]
    public void FFmpeg_publish_handshake_pipelined_in_one_buffer_parses_in_order()
    {
        List<ParsedRequest> requests = ParsedRequest.ParseAll(Single(Ascii(ClientRequests.FfmpegPublishHandshake())));

        Assert.Equal(
            [RtspMethod.Options, RtspMethod.Announce, RtspMethod.Setup, RtspMethod.Setup, RtspMethod.Record],
            requests.Select(r => r.Method));
        Assert.Equal([1, 2, 3, 4, 5], requests.Select(r => r.CSeq));
        Assert.Equal("rtsp://127.0.0.1:8554/cam1/streamid=1", requests[3].Uri);
        Assert.Equal("4D0E5A1C9B2F4E8A", requests[3].Session);
        Assert.Contains("Transport=RTP/AVP/TCP;unicast;interleaved=2-3;mode=record", requests[3].Headers, StringComparison.Ordinal);
        Assert.Contains("Range=npt=0.000-", requests[4].Headers, StringComparison.Ordinal);
        Assert.Equal(string.Empty, requests[4].BodyHex);
    }

    [Fact]
    public void FFmpeg_UDP_SETUP_and_PLAY()
    {
        ParseComplete(ClientRequests.FfmpegSetupUdpPlay(3));
        Assert.Equal("RTP/AVP/UDP;unicast;client_port=5000-5001", _request["Transport"]);
        Assert.Equal("rtsp://127.0.0.1:8554/cam1/trackID=0", _request.Uri);

        _request.Reset();
        ParseComplete(ClientRequests.FfmpegPlay(4, "0123456789abcdef"));
        Assert.Equal(RtspMethod.Play, _request.Method);
        Assert.Equal("npt=0.000-", _request["Range"]);
        Assert.Equal("0123456789abcdef", _request.Session);
    }

    [Fact]
    public void VLC_DESCRIBE_SETUP_PLAY()
    {
        List<ParsedRequest> requests = ParsedRequest.ParseAll(Single(Ascii(
            ClientRequests.VlcDescribe(2) + ClientRequests.VlcSetup(3) + ClientRequests.VlcPlay(4, "6B8B4567327B23C6"))));

        Assert.Equal([RtspMethod.Describe, RtspMethod.Setup, RtspMethod.Play], requests.Select(r => r.Method));
        Assert.Contains("Accept=application/sdp", requests[0].Headers, StringComparison.Ordinal);
        Assert.Contains($"User-Agent={ClientRequests.VlcUserAgent}", requests[0].Headers, StringComparison.Ordinal);
        Assert.Contains("Transport=RTP/AVP;unicast;client_port=53410-53411", requests[1].Headers, StringComparison.Ordinal);
        Assert.Equal("rtsp://192.168.1.20:8554/cam1/", requests[2].Uri);
        Assert.Equal("6B8B4567327B23C6", requests[2].Session);
    }

    [Theory]
    [InlineData("Session: 12345678;timeout=60", "12345678")]
    [InlineData("Session: 12345678 ; timeout=60", "12345678")]
    [InlineData("Session:ABCDEF", "ABCDEF")]
    [InlineData("session: abc", "abc")]
    public void Session_is_the_ID_without_parameters(string header, string expected)
    {
        ParseComplete($"PLAY rtsp://h/a RTSP/1.0\r\nCSeq: 1\r\n{header}\r\n\r\n");
        Assert.Equal(expected, _request.Session);
    }

    [Fact]
    public void Bare_LF_line_endings_are_accepted()
    {
        ParseComplete("OPTIONS * RTSP/1.0\nCSeq: 7\nUser-Agent: test\n\n");
        Assert.Equal(RtspMethod.Options, _request.Method);
        Assert.Equal("*", _request.Uri);
        Assert.Equal(7, _request.CSeq);
        Assert.Equal("test", _request["User-Agent"]);
    }

    [Fact]
    public void Mixed_line_endings_are_accepted()
    {
        ParseComplete("OPTIONS * RTSP/1.0\r\nCSeq: 7\nUser-Agent: test\r\n\n");
        Assert.Equal(2, _request.Headers.Count);
    }

    [Fact]
    public void Empty_lines_before_the_request_line_are_skipped_and_consumed()
    {
        ParseComplete("\r\n\r\n\nOPTIONS * RTSP/1.0\r\nCSeq: 9\r\n\r\n");
        Assert.Equal(RtspMethod.Options, _request.Method);
        Assert.Equal(9, _request.CSeq);
    }

    [Theory]
    [InlineData("OPTIONS * RTSP/1.0\r\nUser-Agent: x\r\n\r\n")]
    [InlineData("OPTIONS * RTSP/1.0\r\nCSeq: abc\r\n\r\n")]
    [InlineData("OPTIONS * RTSP/1.0\r\nCSeq: -1\r\n\r\n")]
    [InlineData("OPTIONS * RTSP/1.0\r\nCSeq: 2147483648\r\n\r\n")]
    [InlineData("OPTIONS * RTSP/1.0\r\nCSeq: 99999999999999999999999\r\n\r\n")]
    [InlineData("OPTIONS * RTSP/1.0\r\nCSeq:\r\n\r\n")]
    public void Missing_or_invalid_CSeq_parses_with_minus_one(string text)
    {
        // Not a framing problem: the session layer answers 400 itself.
        ParseComplete(text);
        Assert.Equal(-1, _request.CSeq);
    }

    [Fact]
    public void CSeq_takes_the_largest_int_and_tolerates_whitespace()
    {
        ParseComplete("OPTIONS * RTSP/1.0\r\nCSeq: \t2147483647  \r\n\r\n");
        Assert.Equal(int.MaxValue, _request.CSeq);
    }

    [Theory]
    [InlineData("options", RtspMethod.Unknown)]
    [InlineData("GET", RtspMethod.Unknown)]
    [InlineData("PLAY_LIST", RtspMethod.Unknown)]
    [InlineData("GET_PARAMETER", RtspMethod.GetParameter)]
    [InlineData("SET_PARAMETER", RtspMethod.SetParameter)]
    [InlineData("TEARDOWN", RtspMethod.Teardown)]
    public void Method_tokens_are_case_sensitive_and_unknown_ones_keep_their_name(string token, RtspMethod expected)
    {
        ParseComplete($"{token} rtsp://h/a RTSP/1.0\r\nCSeq: 1\r\n\r\n");
        Assert.Equal(expected, _request.Method);
        Assert.Equal(token, _request.MethodName);
    }

    [Fact]
    public void Header_values_are_trimmed_lookups_ignore_case_and_order_is_kept()
    {
        ParseComplete("GET_PARAMETER rtsp://h/a RTSP/1.0\r\nCSeq: 3\r\nX-Empty:\r\nx-dup: one\r\nX-DUP:  two \t\r\nContent-Length: 0\r\n\r\n");

        Assert.Equal(string.Empty, _request["X-Empty"]);
        Assert.Equal("one", _request["X-Dup"]);
        Assert.Equal(
            [("CSeq", "3"), ("X-Empty", ""), ("x-dup", "one"), ("X-DUP", "two"), ("Content-Length", "0")],
            _request.Headers.ToList());
        Assert.Null(_request["Missing"]);
        Assert.True(_request.Body.IsEmpty);
    }

    [Fact]
    public void UTF8_in_URI_and_values_is_decoded()
    {
        ParseComplete("DESCRIBE rtsp://h/caméra RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: Überclient\r\n\r\n");
        Assert.Equal("rtsp://h/caméra", _request.Uri);
        Assert.Equal("Überclient", _request["User-Agent"]);
    }

    [Fact]
    public void Incomplete_header_section_consumes_nothing_then_completes()
    {
        byte[] whole = Ascii(ClientRequests.VlcDescribe(2));
        ReadOnlySequence<byte> partial = Single(whole[..(whole.Length - 1)]);
        RtspParseStatus status = _parser.TryParseRequest(ref partial, _request, out RtspRejectionReason rejection);

        Assert.Equal(RtspParseStatus.Incomplete, status);
        Assert.Equal(RtspRejectionReason.None, rejection);
        Assert.Equal(whole.Length - 1, partial.Length);

        ReadOnlySequence<byte> full = Single(whole);
        Assert.Equal(RtspParseStatus.Complete, _parser.TryParseRequest(ref full, _request, out _));
        Assert.Equal(RtspMethod.Describe, _request.Method);
        Assert.True(full.IsEmpty);
    }

    [Fact]
    public void Incomplete_body_consumes_nothing_then_completes()
    {
        byte[] whole = Ascii(ClientRequests.FfmpegAnnounce(2));
        ReadOnlySequence<byte> partial = Single(whole[..(whole.Length - 10)]);
        Assert.Equal(RtspParseStatus.Incomplete, _parser.TryParseRequest(ref partial, _request, out _));
        Assert.Equal(whole.Length - 10, partial.Length);

        ReadOnlySequence<byte> full = Single(whole);
        Assert.Equal(RtspParseStatus.Complete, _parser.TryParseRequest(ref full, _request, out _));
        Assert.Equal(ClientRequests.FfmpegSdp, Encoding.UTF8.GetString(_request.Body.Span));
    }

    [Fact]
    public void Body_is_copied_out_of_the_receive_buffer()
    {
        byte[] data = Ascii("SET_PARAMETER rtsp://h/a RTSP/1.0\r\nCSeq: 4\r\nContent-Type: text/parameters\r\nContent-Length: 13\r\n\r\nbarparam: foo");
        Parse(data, out _, out _);

        // The pipe reuses its memory once the read is advanced; the body must not change with it.
        Array.Fill(data, (byte)'#');
        Assert.Equal("barparam: foo", Encoding.ASCII.GetString(_request.Body.Span));
    }

    [Fact]
    public void Reset_clears_everything_and_a_reused_request_holds_only_the_new_request()
    {
        ParseComplete("SET_PARAMETER rtsp://h/a RTSP/1.0\r\nCSeq: 4\r\nSession: s1\r\nContent-Length: 10\r\n\r\n0123456789");
        _request.Reset();

        Assert.Equal(RtspMethod.Unknown, _request.Method);
        Assert.Equal(string.Empty, _request.Uri);
        Assert.Equal(-1, _request.CSeq);
        Assert.Null(_request.Session);
        Assert.Empty(_request.Headers);
        Assert.True(_request.Body.IsEmpty);

        ParseComplete("SET_PARAMETER rtsp://h/b RTSP/1.0\r\nCSeq: 5\r\nContent-Length: 3\r\n\r\nabc");
        Assert.Equal("abc", Encoding.ASCII.GetString(_request.Body.Span));
        Assert.Null(_request.Session);

        // Parsing into the same instance without Reset must not leak the previous request either.
        ParseComplete("OPTIONS * RTSP/1.0\r\nCSeq: 6\r\n\r\n");
        Assert.True(_request.Body.IsEmpty);
        Assert.Single(_request.Headers);
    }

    [Fact]
    public void Zero_content_length_and_equal_duplicate_content_lengths_are_fine()
    {
        ParseComplete("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nContent-Length: 0\r\n\r\n");
        Assert.True(_request.Body.IsEmpty);

        ParseComplete("SET_PARAMETER * RTSP/1.0\r\nCSeq: 1\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\nok");
        Assert.Equal("ok", Encoding.ASCII.GetString(_request.Body.Span));
    }

    [Fact]
    public void Rejected_request_keeps_the_CSeq_for_the_error_response()
    {
        RtspParseStatus status = Parse(
            Ascii("ANNOUNCE rtsp://h/a RTSP/1.0\r\nContent-Length: 999999999\r\nCSeq: 42\r\n\r\n"),
            out RtspRejectionReason rejection,
            out _);

        Assert.Equal(RtspParseStatus.Rejected, status);
        Assert.Equal(RtspRejectionReason.BodyTooLarge, rejection);
        Assert.Equal(42, _request.CSeq);
    }

    [Theory]
    [InlineData("PLAY rtsp://h/a RTSP/2.0\r\nCSeq: 1\r\n\r\n", RtspRejectionReason.UnsupportedVersion)]
    [InlineData("PLAY rtsp://h/a RTSP/1.1\r\nCSeq: 1\r\n\r\n", RtspRejectionReason.UnsupportedVersion)]
    [InlineData("PLAY rtsp://h/a RTSP/10.12\r\n\r\n", RtspRejectionReason.UnsupportedVersion)]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n\r\n", RtspRejectionReason.InvalidRequestLine)]
    [InlineData("PLAY rtsp://h/a rtsp/1.0\r\n\r\n", RtspRejectionReason.InvalidRequestLine)]
    [InlineData("PLAY rtsp://h/a RTSP/\r\n\r\n", RtspRejectionReason.InvalidRequestLine)]
    [InlineData("PLAY rtsp://h/a RTSP/1.\r\n\r\n", RtspRejectionReason.InvalidRequestLine)]
    [InlineData("PLAY rtsp://h/a\r\n\r\n", RtspRejectionReason.InvalidRequestLine)]
    [InlineData("PLAY\r\n\r\n", RtspRejectionReason.InvalidRequestLine)]
    [InlineData("PLAY  rtsp://h/a RTSP/1.0\r\n\r\n", RtspRejectionReason.InvalidRequestLine)]
    [InlineData("PLAY rtsp://h/a  RTSP/1.0\r\n\r\n", RtspRejectionReason.InvalidRequestLine)]
    [InlineData("PLAY rtsp://h/a RTSP/1.0 \r\n\r\n", RtspRejectionReason.InvalidRequestLine)]
    [InlineData("PLAY rtsp://h/a b RTSP/1.0\r\n\r\n", RtspRejectionReason.InvalidRequestLine)]
    [InlineData("PLAY rtsp://h/\ta RTSP/1.0\r\n\r\n", RtspRejectionReason.InvalidRequestLine)]
    [InlineData("PL@Y rtsp://h/a RTSP/1.0\r\n\r\n", RtspRejectionReason.InvalidRequestLine)]
    [InlineData("PLAY rtsp://h/a RTSP/1.0\r\r\n\r\n", RtspRejectionReason.InvalidRequestLine)]
    [InlineData("PLAY rtsp://h/a RTSP/1.0\r\nCSeq 1\r\n\r\n", RtspRejectionReason.InvalidHeader)]
    [InlineData("PLAY rtsp://h/a RTSP/1.0\r\nCSeq : 1\r\n\r\n", RtspRejectionReason.InvalidHeader)]
    [InlineData("PLAY rtsp://h/a RTSP/1.0\r\n: 1\r\n\r\n", RtspRejectionReason.InvalidHeader)]
    [InlineData("PLAY rtsp://h/a RTSP/1.0\r\nC(Seq): 1\r\n\r\n", RtspRejectionReason.InvalidHeader)]
    [InlineData("PLAY rtsp://h/a RTSP/1.0\r\nCSeq: 1\r\n folded: value\r\n\r\n", RtspRejectionReason.InvalidHeader)]
    [InlineData("PLAY rtsp://h/a RTSP/1.0\r\nCSeq: 1\r\n\tfolded\r\n\r\n", RtspRejectionReason.InvalidHeader)]
    [InlineData("PLAY rtsp://h/a RTSP/1.0\r\nX: a\u0001b\r\n\r\n", RtspRejectionReason.InvalidHeader)]
    [InlineData("PLAY rtsp://h/a RTSP/1.0\r\nX: a\rb\r\n\r\n", RtspRejectionReason.InvalidHeader)]
    [InlineData("PLAY rtsp://h/a RTSP/1.0\r\nX: a\u007Fb\r\n\r\n", RtspRejectionReason.InvalidHeader)]
    public void Malformed_requests_are_rejected_with_a_reason(string text, RtspRejectionReason expected)
    {
        RtspParseStatus status = Parse(Ascii(text), out RtspRejectionReason rejection, out long remaining);
        Assert.Equal(RtspParseStatus.Rejected, status);
        Assert.Equal(expected, rejection);
        Assert.Equal(Ascii(text).Length, remaining);
    }

    [Fact]
    public void Invalid_UTF8_in_a_header_value_or_URI_is_rejected()
    {
        byte[] badValue = [.. Ascii("OPTIONS * RTSP/1.0\r\nX: "), 0xC3, 0x28, .. Ascii("\r\n\r\n")];
        Assert.Equal(RtspParseStatus.Rejected, Parse(badValue, out RtspRejectionReason rejection, out _));
        Assert.Equal(RtspRejectionReason.InvalidHeader, rejection);

        byte[] badUri = [.. Ascii("OPTIONS rtsp://h/"), 0xFF, .. Ascii(" RTSP/1.0\r\n\r\n")];
        Assert.Equal(RtspParseStatus.Rejected, Parse(badUri, out rejection, out _));
        Assert.Equal(RtspRejectionReason.InvalidRequestLine, rejection);
    }

    [Fact]
    public void Parser_can_be_shared_between_connections()
    {
        // All per-request state lives on the request, so interleaving two connections' partial
        // requests on one parser must not mix them up.
        var requestA = new RtspRequest();
        var requestB = new RtspRequest();
        byte[] a = Ascii(ClientRequests.FfmpegAnnounce(2));
        byte[] b = Ascii(ClientRequests.VlcDescribe(7));

        ReadOnlySequence<byte> partA = Single(a[..100]);
        ReadOnlySequence<byte> partB = Single(b[..20]);
        Assert.Equal(RtspParseStatus.Incomplete, _parser.TryParseRequest(ref partA, requestA, out _));
        Assert.Equal(RtspParseStatus.Incomplete, _parser.TryParseRequest(ref partB, requestB, out _));

        ReadOnlySequence<byte> fullB = Single(b);
        ReadOnlySequence<byte> fullA = Single(a);
        Assert.Equal(RtspParseStatus.Complete, _parser.TryParseRequest(ref fullB, requestB, out _));
        Assert.Equal(RtspParseStatus.Complete, _parser.TryParseRequest(ref fullA, requestA, out _));
        Assert.Equal((RtspMethod.Announce, 2), (requestA.Method, requestA.CSeq));
        Assert.Equal((RtspMethod.Describe, 7), (requestB.Method, requestB.CSeq));
    }
}
