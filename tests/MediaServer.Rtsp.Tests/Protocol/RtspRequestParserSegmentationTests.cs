using System.Buffers;
using MediaServer.Rtsp.Protocol;
using static MediaServer.Rtsp.Tests.Protocol.Sequences;

namespace MediaServer.Rtsp.Tests.Protocol;

/// <summary>
/// TCP delivers bytes in arbitrary pieces and a Pipe hands them out as linked segments. The
/// parser must give the same result however the bytes are cut and however they trickle in.
/// </summary>
public class RtspRequestParserSegmentationTests
{
    private static readonly byte[] Handshake = Ascii(
        ClientRequests.FfmpegPublishHandshake() + ClientRequests.VlcDescribe(6) + "\nOPTIONS * RTSP/1.0\nCSeq: 7\n\n");

    private static readonly List<ParsedRequest> Expected = ParsedRequest.ParseAll(Single(Handshake));

    [Fact]
    public void Reference_parse_sees_all_seven_requests()
    {
        Assert.Equal(7, Expected.Count);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], Expected.Select(r => r.CSeq));
    }

    [Fact]
    public void Split_into_two_segments_at_every_byte_gives_the_same_requests()
    {
        for (int cut = 1; cut < Handshake.Length; cut++)
        {
            Assert.Equal(Expected, ParsedRequest.ParseAll(SplitAt(Handshake, cut)));
        }
    }

    [Fact]
    public void Split_into_three_segments_around_every_line_end_gives_the_same_requests()
    {
        // Cuts on both sides of every CR and LF: the places a line-oriented parser breaks.
        for (int i = 1; i < Handshake.Length - 2; i++)
        {
            if (Handshake[i] is (byte)'\r' or (byte)'\n')
            {
                Assert.Equal(Expected, ParsedRequest.ParseAll(SplitAt(Handshake, i, i + 1)));
            }
        }
    }

    [Fact]
    public void One_byte_per_segment_gives_the_same_requests()
    {
        Assert.Equal(Expected, ParsedRequest.ParseAll(OneBytePerSegment(Handshake)));
    }

    [Fact]
    public void Bytes_trickling_in_one_at_a_time_complete_each_request_exactly_when_its_last_byte_arrives()
    {
        // What a connection does with a PipeReader: on Incomplete it leaves the buffer
        // unconsumed and calls again with the same start plus whatever arrived since.
        var parser = new RtspRequestParser(new RtspLimits());
        var request = new RtspRequest();
        var parsed = new List<ParsedRequest>();
        var completedAt = new List<int>();
        int consumed = 0;

        for (int received = consumed; received <= Handshake.Length; received++)
        {
            // Re-cut the unconsumed bytes differently on every call: a pipe may append a segment.
            byte[] unconsumed = Handshake[consumed..received];
            ReadOnlySequence<byte> buffer = unconsumed.Length > 1 ? SplitAt(unconsumed, unconsumed.Length / 2) : Single(unconsumed);
            while (true)
            {
                long before = buffer.Length;
                RtspParseStatus status = parser.TryParseRequest(ref buffer, request, out RtspRejectionReason rejection);
                Assert.NotEqual(RtspParseStatus.Rejected, status);
                Assert.Equal(RtspRejectionReason.None, rejection);
                if (status == RtspParseStatus.Incomplete)
                {
                    Assert.Equal(before, buffer.Length);
                    break;
                }

                consumed += (int)(before - buffer.Length);
                parsed.Add(ParsedRequest.From(request));
                completedAt.Add(received);
                request.Reset();
            }
        }

        Assert.Equal(Expected, parsed);
        Assert.Equal(Handshake.Length, consumed);

        // Each request completes the moment its last byte arrives, never earlier or later.
        var ends = new List<int>();
        ReadOnlySequence<byte> whole = Single(Handshake);
        var reference = new RtspRequest();
        var referenceParser = new RtspRequestParser(new RtspLimits());
        while (referenceParser.TryParseRequest(ref whole, reference, out _) == RtspParseStatus.Complete)
        {
            ends.Add(Handshake.Length - (int)whole.Length);
        }

        Assert.Equal(ends, completedAt);
    }

    [Fact]
    public void Trickling_into_a_fresh_request_each_time_also_works()
    {
        // A caller that does not keep the request between reads just pays for a rescan.
        var parser = new RtspRequestParser(new RtspLimits());
        byte[] announce = Ascii(ClientRequests.FfmpegAnnounce(2));
        for (int received = 0; received < announce.Length; received++)
        {
            ReadOnlySequence<byte> partial = OneBytePerSegment(announce[..received]);
            Assert.Equal(RtspParseStatus.Incomplete, parser.TryParseRequest(ref partial, new RtspRequest(), out _));
        }

        ReadOnlySequence<byte> full = OneBytePerSegment(announce);
        var request = new RtspRequest();
        Assert.Equal(RtspParseStatus.Complete, parser.TryParseRequest(ref full, request, out _));
        Assert.Equal(Expected[1], ParsedRequest.From(request));
    }

    [Fact]
    public void Limits_hold_when_the_oversized_section_arrives_in_pieces()
    {
        var limits = new RtspLimits { MaxHeaderBytes = 100 };
        var parser = new RtspRequestParser(limits);
        var request = new RtspRequest();
        byte[] data = Ascii("OPTIONS * RTSP/1.0\r\n" + string.Concat(Enumerable.Repeat("X-Pad: 0123456789\r\n", 20)));

        int rejectedAt = -1;
        for (int received = 1; received <= data.Length; received++)
        {
            ReadOnlySequence<byte> buffer = SplitAt(data[..received], received / 3, (2 * received) / 3);
            if (parser.TryParseRequest(ref buffer, request, out RtspRejectionReason rejection) == RtspParseStatus.Rejected)
            {
                Assert.Equal(RtspRejectionReason.HeadersTooLarge, rejection);
                rejectedAt = received;
                break;
            }
        }

        // Rejected at the first byte beyond the request line plus 100 header bytes.
        Assert.Equal("OPTIONS * RTSP/1.0\r\n".Length + 101, rejectedAt);
    }
}
