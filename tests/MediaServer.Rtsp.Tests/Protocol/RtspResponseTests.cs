using System.Buffers;
using System.Text;
using MediaServer.Rtsp.Protocol;

namespace MediaServer.Rtsp.Tests.Protocol;

public class RtspResponseTests
{
    private static string Written(RtspResponse response)
    {
        var writer = new ArrayBufferWriter<byte>();
        response.WriteTo(writer);
        return Encoding.UTF8.GetString(writer.WrittenSpan);
    }

    [Fact]
    public void RFC_2326_14_1_SETUP_answer()
    {
        var response = new RtspResponse { CSeq = 1 };
        response.AddHeader("Session", "12345678");
        response.AddHeader("Transport", "RTP/AVP/UDP;unicast;client_port=3056-3057;server_port=5000-5001");

        Assert.Equal(
            "RTSP/1.0 200 OK\r\n"
            + "CSeq: 1\r\n"
            + "Session: 12345678\r\n"
            + "Transport: RTP/AVP/UDP;unicast;client_port=3056-3057;server_port=5000-5001\r\n"
            + "Server: MediaServer\r\n"
            + "\r\n",
            Written(response));
    }

    [Fact]
    public void DESCRIBE_answer_carries_content_type_and_length()
    {
        var response = new RtspResponse { CSeq = 2 };
        response.AddHeader("Content-Base", "rtsp://127.0.0.1:8554/cam1/");
        response.SetBody(Encoding.UTF8.GetBytes(ClientRequests.FfmpegSdp), "application/sdp");

        int length = Encoding.UTF8.GetByteCount(ClientRequests.FfmpegSdp);
        Assert.Equal(
            "RTSP/1.0 200 OK\r\n"
            + "CSeq: 2\r\n"
            + "Content-Base: rtsp://127.0.0.1:8554/cam1/\r\n"
            + "Server: MediaServer\r\n"
            + "Content-Type: application/sdp\r\n"
            + $"Content-Length: {length}\r\n"
            + "\r\n"
            + ClientRequests.FfmpegSdp,
            Written(response));
    }

    [Fact]
    public void Body_without_content_type_still_gets_content_length()
    {
        var response = new RtspResponse { CSeq = 3, Body = "x"u8.ToArray() };
        Assert.Equal("RTSP/1.0 200 OK\r\nCSeq: 3\r\nServer: MediaServer\r\nContent-Length: 1\r\n\r\nx", Written(response));
    }

    [Fact]
    public void Missing_CSeq_is_left_out_and_error_codes_get_their_RTSP_phrases()
    {
        var response = new RtspResponse { StatusCode = 461, Server = null };
        Assert.Equal("RTSP/1.0 461 Unsupported Transport\r\n\r\n", Written(response));

        response.StatusCode = (int)RtspStatusCode.RtspVersionNotSupported;
        response.CSeq = 0;
        Assert.Equal("RTSP/1.0 505 RTSP Version Not Supported\r\nCSeq: 0\r\n\r\n", Written(response));
    }

    [Fact]
    public void Custom_reason_phrase_replaces_the_standard_one()
    {
        var response = new RtspResponse { StatusCode = 404, ReasonPhrase = "Stream Not Found", CSeq = 4, Server = null };
        Assert.Equal("RTSP/1.0 404 Stream Not Found\r\nCSeq: 4\r\n\r\n", Written(response));
    }

    [Fact]
    public void Reset_returns_to_a_bare_200()
    {
        var response = new RtspResponse { StatusCode = 454, CSeq = 9, ReasonPhrase = "x", Server = "Other" };
        response.AddHeader("Session", "abc");
        response.SetBody(new byte[] { 1, 2, 3 }, "application/octet-stream");

        response.Reset();

        Assert.Equal("RTSP/1.0 200 OK\r\nServer: MediaServer\r\n\r\n", Written(response));
        Assert.Equal(-1, response.CSeq);
        Assert.Empty(response.Headers);
        Assert.Null(response.ContentType);
    }

    [Theory]
    [InlineData("Session", "abc\r\nX-Injected: 1")]
    [InlineData("Session", "abc\n")]
    [InlineData("Session", "a\0")]
    public void Header_values_with_line_breaks_are_refused(string name, string value)
    {
        var response = new RtspResponse();
        Assert.Throws<ArgumentException>(() => response.AddHeader(name, value));
        Assert.Empty(response.Headers);
    }

    [Theory]
    [InlineData("Bad Name")]
    [InlineData("Bad:Name")]
    [InlineData("Bäd")]
    [InlineData("CSeq")]
    [InlineData("content-length")]
    [InlineData("Content-Type")]
    [InlineData("Server")]
    public void Invalid_or_property_backed_header_names_are_refused(string name)
    {
        Assert.Throws<ArgumentException>(() => new RtspResponse().AddHeader(name, "v"));
    }

    [Fact]
    public void Written_response_is_not_a_request_but_is_well_framed()
    {
        // Write a response with a body followed by an interleaved frame, as a session does, and
        // check the body ends exactly where Content-Length says.
        var response = new RtspResponse { CSeq = 5 };
        response.SetBody("v=0\r\n"u8.ToArray(), "application/sdp");
        var writer = new ArrayBufferWriter<byte>();
        response.WriteTo(writer);
        InterleavedFrame.Write(writer, 0, [1, 2, 3]);

        byte[] written = writer.WrittenSpan.ToArray();
        int headerEnd = written.AsSpan().IndexOf("\r\n\r\n"u8) + 4;
        Assert.Equal("v=0\r\n", Encoding.ASCII.GetString(written, headerEnd, 5));
        Assert.Equal(InterleavedFrame.Magic, written[headerEnd + 5]);
    }

    [Fact]
    public void Non_ASCII_header_values_are_written_as_UTF8()
    {
        var response = new RtspResponse { CSeq = 1, Server = "MédiaServer" };
        var writer = new ArrayBufferWriter<byte>();
        response.WriteTo(writer);
        Assert.Contains("Server: MédiaServer\r\n", Encoding.UTF8.GetString(writer.WrittenSpan), StringComparison.Ordinal);
    }
}
