using System.Buffers;
using System.Text;
using MediaServer.Rtsp.Protocol;
using static MediaServer.Rtsp.Tests.Protocol.Sequences;

namespace MediaServer.Rtsp.Tests.Protocol;

/// <summary>What a hostile or broken peer can make the parser do: every limit holds, and nothing throws.</summary>
public class RtspRequestParserLimitsTests
{
    private static (RtspParseStatus Status, RtspRejectionReason Rejection) Parse(byte[] data, RtspLimits? limits = null)
    {
        var parser = new RtspRequestParser(limits ?? new RtspLimits());
        ReadOnlySequence<byte> buffer = Single(data);
        RtspParseStatus status = parser.TryParseRequest(ref buffer, new RtspRequest(), out RtspRejectionReason rejection);
        if (status != RtspParseStatus.Complete)
        {
            Assert.Equal(data.Length, buffer.Length);
        }

        return (status, rejection);
    }

    /// <summary>A request line of exactly <paramref name="length"/> bytes before its LF (the CR included).</summary>
    private static string RequestLineOfLength(int length)
    {
        const string prefix = "DESCRIBE rtsp://h/";
        const string suffix = " RTSP/1.0\r";
        return prefix + new string('a', length - prefix.Length - suffix.Length) + suffix + "\n";
    }

    [Fact]
    public void Request_line_at_the_limit_is_accepted_and_one_byte_more_is_rejected()
    {
        var limits = new RtspLimits { MaxRequestLineLength = 200 };

        Assert.Equal(
            (RtspParseStatus.Complete, RtspRejectionReason.None),
            Parse(Ascii(RequestLineOfLength(200) + "CSeq: 1\r\n\r\n"), limits));
        Assert.Equal(
            (RtspParseStatus.Rejected, RtspRejectionReason.RequestLineTooLong),
            Parse(Ascii(RequestLineOfLength(201) + "CSeq: 1\r\n\r\n"), limits));
    }

    [Fact]
    public void Unterminated_request_line_is_rejected_as_soon_as_it_exceeds_the_limit()
    {
        var limits = new RtspLimits { MaxRequestLineLength = 100 };
        byte[] line = Ascii("DESCRIBE rtsp://h/" + new string('a', 500));

        Assert.Equal((RtspParseStatus.Incomplete, RtspRejectionReason.None), Parse(line[..100], limits));
        Assert.Equal((RtspParseStatus.Rejected, RtspRejectionReason.RequestLineTooLong), Parse(line[..101], limits));
    }

    [Fact]
    public void Endless_empty_lines_count_against_the_request_line_limit()
    {
        var limits = new RtspLimits { MaxRequestLineLength = 64 };
        byte[] blank = Ascii(string.Concat(Enumerable.Repeat("\r\n", 100)));
        Assert.Equal((RtspParseStatus.Rejected, RtspRejectionReason.RequestLineTooLong), Parse(blank, limits));
    }

    [Fact]
    public void Oversized_header_section_is_rejected_before_its_end_arrives()
    {
        // A peer that never ends its headers must be cut off once it passes the limit, not buffered forever.
        var builder = new StringBuilder("DESCRIBE rtsp://h/a RTSP/1.0\r\nCSeq: 1\r\n");
        while (builder.Length < 20000)
        {
            builder.Append("X-Pad: ").Append('p', 50).Append("\r\n");
        }

        var limits = new RtspLimits { MaxHeaderCount = 1000 };
        Assert.Equal((RtspParseStatus.Rejected, RtspRejectionReason.HeadersTooLarge), Parse(Ascii(builder.ToString()), limits));
    }

    [Fact]
    public void Single_endless_header_line_is_rejected_before_its_line_end_arrives()
    {
        byte[] data = Ascii("DESCRIBE rtsp://h/a RTSP/1.0\r\nX-Long: " + new string('v', 20000));
        Assert.Equal((RtspParseStatus.Rejected, RtspRejectionReason.HeadersTooLarge), Parse(data));
    }

    [Fact]
    public void Header_section_at_the_limit_is_accepted_and_one_byte_more_is_rejected()
    {
        var limits = new RtspLimits { MaxHeaderBytes = 64 };
        const string requestLine = "OPTIONS * RTSP/1.0\r\n";

        // "CSeq: 1\r\n" (9) + "X: " + value + "\r\n" + "\r\n" (2) = 64 bytes of header section.
        string exact = requestLine + "CSeq: 1\r\nX: " + new string('v', 64 - 9 - 3 - 2 - 2) + "\r\n\r\n";
        string over = requestLine + "CSeq: 1\r\nX: " + new string('v', 64 - 9 - 3 - 2 - 2 + 1) + "\r\n\r\n";

        Assert.Equal((RtspParseStatus.Complete, RtspRejectionReason.None), Parse(Ascii(exact), limits));
        Assert.Equal((RtspParseStatus.Rejected, RtspRejectionReason.HeadersTooLarge), Parse(Ascii(over), limits));
    }

    [Fact]
    public void Header_count_at_the_limit_is_accepted_and_one_more_is_rejected()
    {
        static string WithHeaders(int count)
        {
            var builder = new StringBuilder("OPTIONS * RTSP/1.0\r\n");
            for (int i = 0; i < count; i++)
            {
                builder.Append("X-").Append(i).Append(": v\r\n");
            }

            return builder.Append("\r\n").ToString();
        }

        Assert.Equal((RtspParseStatus.Complete, RtspRejectionReason.None), Parse(Ascii(WithHeaders(64))));
        Assert.Equal((RtspParseStatus.Rejected, RtspRejectionReason.TooManyHeaders), Parse(Ascii(WithHeaders(65))));
    }

    [Fact]
    public void Too_many_headers_is_rejected_before_the_section_ends()
    {
        var builder = new StringBuilder("OPTIONS * RTSP/1.0\r\n");
        for (int i = 0; i < 65; i++)
        {
            builder.Append("X: v\r\n");
        }

        Assert.Equal((RtspParseStatus.Rejected, RtspRejectionReason.TooManyHeaders), Parse(Ascii(builder.ToString())));
    }

    [Fact]
    public void Content_length_beyond_the_body_limit_is_rejected_without_waiting_for_the_body()
    {
        var limits = new RtspLimits { MaxBodyLength = 1000 };
        Assert.Equal(
            (RtspParseStatus.Rejected, RtspRejectionReason.BodyTooLarge),
            Parse(Ascii("ANNOUNCE rtsp://h/a RTSP/1.0\r\nCSeq: 2\r\nContent-Length: 1001\r\n\r\n"), limits));

        // At the limit, the parser waits for the body.
        Assert.Equal(
            (RtspParseStatus.Incomplete, RtspRejectionReason.None),
            Parse(Ascii("ANNOUNCE rtsp://h/a RTSP/1.0\r\nCSeq: 2\r\nContent-Length: 1000\r\n\r\n"), limits));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-5")]
    [InlineData("+5")]
    [InlineData("1e3")]
    [InlineData("0x10")]
    [InlineData("5 5")]
    [InlineData("")]
    [InlineData("99999999999999999999999999")]
    [InlineData("9223372036854775808")]
    public void Content_length_that_is_not_a_plain_decimal_is_rejected(string value)
    {
        Assert.Equal(
            (RtspParseStatus.Rejected, RtspRejectionReason.InvalidContentLength),
            Parse(Ascii($"ANNOUNCE rtsp://h/a RTSP/1.0\r\nCSeq: 2\r\nContent-Length: {value}\r\n\r\nbody")));
    }

    [Fact]
    public void Conflicting_content_lengths_are_rejected()
    {
        Assert.Equal(
            (RtspParseStatus.Rejected, RtspRejectionReason.InvalidContentLength),
            Parse(Ascii("ANNOUNCE rtsp://h/a RTSP/1.0\r\nContent-Length: 4\r\nContent-Length: 40\r\n\r\nbody")));
    }

    [Fact]
    public void Content_length_larger_than_what_is_sent_keeps_waiting_within_the_limit()
    {
        // A body that never arrives is the connection's idle timeout to handle; the parser must
        // just not complete early and hand a short body to the session.
        Assert.Equal(
            (RtspParseStatus.Incomplete, RtspRejectionReason.None),
            Parse(Ascii("ANNOUNCE rtsp://h/a RTSP/1.0\r\nCSeq: 2\r\nContent-Length: 500\r\n\r\nv=0\r\n")));
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x01, 0x02, 0x0A })]
    [InlineData(new byte[] { 0x80, 0x00, 0x12, 0x34, 0xDE, 0xAD, 0xBE, 0xEF })]
    [InlineData(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01 })]
    [InlineData(new byte[] { 0x24, 0x00, 0x00, 0x04, 0x80, 0x60, 0x00, 0x01 })]
    [InlineData(new byte[] { 0x20, 0x50, 0x4C, 0x41, 0x59 })]
    public void Binary_garbage_is_rejected_at_its_first_byte(byte[] garbage)
    {
        // RTP, a TLS ClientHello, a misrouted interleaved frame, a leading space: none can start a request.
        Assert.Equal((RtspParseStatus.Rejected, RtspRejectionReason.InvalidRequestLine), Parse(garbage));
    }

    [Fact]
    public void Text_like_garbage_with_control_bytes_is_rejected_once_the_line_ends()
    {
        byte[] data = [.. Ascii("PLAY rtsp://h/a"), 0x00, 0x01, .. Ascii(" RTSP/1.0\r\n\r\n")];
        Assert.Equal((RtspParseStatus.Rejected, RtspRejectionReason.InvalidRequestLine), Parse(data));
    }

    [Fact]
    public void Random_bytes_never_throw_and_are_never_buffered_past_the_limits()
    {
        var random = new Random(2326);
        var limits = new RtspLimits { MaxRequestLineLength = 256, MaxHeaderBytes = 512, MaxBodyLength = 64 };
        var parser = new RtspRequestParser(limits);
        var request = new RtspRequest();
        byte[] alphabet = Ascii("PLAYSETUP rtsp://h/ RTSP/1.0\r\n:;=-_0123456789\t $\0\u00ff");

        for (int round = 0; round < 2000; round++)
        {
            byte[] data = new byte[random.Next(1, 2000)];
            for (int i = 0; i < data.Length; i++)
            {
                // Mostly protocol-ish bytes, so the fuzz reaches past the first-byte check.
                data[i] = random.Next(4) == 0 ? (byte)random.Next(256) : alphabet[random.Next(alphabet.Length)];
            }

            ReadOnlySequence<byte> buffer = Single(data);
            RtspParseStatus status = parser.TryParseRequest(ref buffer, request, out RtspRejectionReason rejection);

            if (status == RtspParseStatus.Incomplete)
            {
                int most = limits.MaxRequestLineLength + 1 + limits.MaxHeaderBytes + limits.MaxBodyLength;
                Assert.True(data.Length <= most, $"buffered {data.Length} bytes without rejecting");
            }
            else if (status == RtspParseStatus.Rejected)
            {
                Assert.NotEqual(RtspRejectionReason.None, rejection);
            }

            request.Reset();
        }
    }

    [Fact]
    public void Limits_have_the_documented_defaults()
    {
        var limits = new RtspLimits();
        Assert.Equal(4096, limits.MaxRequestLineLength);
        Assert.Equal(16384, limits.MaxHeaderBytes);
        Assert.Equal(64, limits.MaxHeaderCount);
        Assert.Equal(65536, limits.MaxBodyLength);
        Assert.Equal(65535, limits.MaxInterleavedFrameLength);
    }
}
