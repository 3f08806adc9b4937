using System.Buffers;
using System.Text;
using MediaServer.Rtsp.Protocol;
using static MediaServer.Rtsp.Tests.Protocol.Sequences;

namespace MediaServer.Rtsp.Tests.Protocol;

public class InterleavedFrameTests
{
    // An RTP packet (version 2, PT 96, seq 1, ts 0x3000, SSRC 0x1A2B3C4D) with a 3-byte payload,
    // framed on channel 0 as RFC 2326 §10.12 shows.
    private static readonly byte[] RtpPacket =
    [
        0x80, 0x60, 0x00, 0x01, 0x00, 0x00, 0x30, 0x00, 0x1A, 0x2B, 0x3C, 0x4D, 0x65, 0x88, 0x84,
    ];

    private static byte[] Frame(byte channel, byte[] payload)
    {
        var writer = new ArrayBufferWriter<byte>();
        InterleavedFrame.Write(writer, channel, payload);
        return writer.WrittenSpan.ToArray();
    }

    [Fact]
    public void Write_produces_dollar_channel_and_big_endian_length()
    {
        byte[] frame = Frame(1, [0xAA, 0xBB, 0xCC]);
        Assert.Equal([0x24, 0x01, 0x00, 0x03, 0xAA, 0xBB, 0xCC], frame);
    }

    [Fact]
    public void WriteHeader_encodes_the_largest_length()
    {
        Span<byte> header = stackalloc byte[4];
        InterleavedFrame.WriteHeader(header, 255, 65535);
        Assert.Equal([0x24, 0xFF, 0xFF, 0xFF], header.ToArray());
    }

    [Fact]
    public void Write_refuses_what_the_length_field_cannot_hold()
    {
        var writer = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentOutOfRangeException>(() => InterleavedFrame.Write(writer, 0, new byte[65536]));
        Assert.Throws<ArgumentOutOfRangeException>(() => InterleavedFrame.WriteHeader(new byte[4], 0, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => InterleavedFrame.WriteHeader(new byte[3], 0, 1));
    }

    [Fact]
    public void Reads_a_frame_and_consumes_exactly_it()
    {
        byte[] data = [.. Frame(0, RtpPacket), .. Frame(1, [0x81, 0xC8])];
        ReadOnlySequence<byte> buffer = Single(data);

        Assert.Equal(InterleavedReadStatus.Complete, InterleavedFrame.TryRead(ref buffer, out byte channel, out ReadOnlySequence<byte> payload));
        Assert.Equal(0, channel);
        Assert.Equal(RtpPacket, payload.ToArray());
        Assert.Equal(6, buffer.Length);

        Assert.Equal(InterleavedReadStatus.Complete, InterleavedFrame.TryRead(ref buffer, out channel, out payload));
        Assert.Equal(1, channel);
        Assert.Equal([0x81, 0xC8], payload.ToArray());
        Assert.True(buffer.IsEmpty);

        Assert.Equal(InterleavedReadStatus.Incomplete, InterleavedFrame.TryRead(ref buffer, out _, out _));
    }

    [Fact]
    public void Zero_length_frame_is_complete_with_an_empty_payload()
    {
        ReadOnlySequence<byte> buffer = Single([0x24, 0x03, 0x00, 0x00, 0x24]);
        Assert.Equal(InterleavedReadStatus.Complete, InterleavedFrame.TryRead(ref buffer, out byte channel, out ReadOnlySequence<byte> payload));
        Assert.Equal(3, channel);
        Assert.True(payload.IsEmpty);
        Assert.Equal(1, buffer.Length);
    }

    [Fact]
    public void RTSP_text_is_not_a_frame_and_is_left_alone()
    {
        ReadOnlySequence<byte> buffer = Single(Ascii("OPTIONS * RTSP/1.0\r\n\r\n"));
        Assert.Equal(InterleavedReadStatus.NotAFrame, InterleavedFrame.TryRead(ref buffer, out _, out ReadOnlySequence<byte> payload));
        Assert.True(payload.IsEmpty);
        Assert.Equal(22, buffer.Length);
    }

    [Fact]
    public void Every_truncation_is_incomplete_and_consumes_nothing()
    {
        byte[] frame = Frame(2, RtpPacket);
        for (int length = 0; length < frame.Length; length++)
        {
            ReadOnlySequence<byte> buffer = Single(frame[..length]);
            Assert.Equal(InterleavedReadStatus.Incomplete, InterleavedFrame.TryRead(ref buffer, out _, out _));
            Assert.Equal(length, buffer.Length);
        }
    }

    [Fact]
    public void Frames_split_across_segments_at_every_byte_read_the_same()
    {
        byte[] data = [.. Frame(0, RtpPacket), .. Frame(1, [0x81, 0xC9, 0x00, 0x01]), .. Frame(0, [])];
        for (int cut = 1; cut < data.Length; cut++)
        {
            AssertReadsAll(SplitAt(data, cut));
        }

        AssertReadsAll(OneBytePerSegment(data));

        static void AssertReadsAll(ReadOnlySequence<byte> buffer)
        {
            Assert.Equal(InterleavedReadStatus.Complete, InterleavedFrame.TryRead(ref buffer, out byte channel, out ReadOnlySequence<byte> payload));
            Assert.Equal(0, channel);
            Assert.Equal(RtpPacket, payload.ToArray());
            Assert.Equal(InterleavedReadStatus.Complete, InterleavedFrame.TryRead(ref buffer, out channel, out payload));
            Assert.Equal(1, channel);
            Assert.Equal([0x81, 0xC9, 0x00, 0x01], payload.ToArray());
            Assert.Equal(InterleavedReadStatus.Complete, InterleavedFrame.TryRead(ref buffer, out channel, out payload));
            Assert.Equal((0, 0L), (channel, payload.Length));
            Assert.True(buffer.IsEmpty);
        }
    }

    [Fact]
    public void Largest_frame_round_trips()
    {
        byte[] payload = new byte[65535];
        new Random(10).NextBytes(payload);
        ReadOnlySequence<byte> buffer = SplitAt(Frame(7, payload), 3, 40000);

        Assert.Equal(InterleavedReadStatus.Complete, InterleavedFrame.TryRead(ref buffer, out byte channel, out ReadOnlySequence<byte> read));
        Assert.Equal(7, channel);
        Assert.Equal(payload, read.ToArray());
    }

    [Fact]
    public void A_frame_over_the_callers_limit_is_refused_from_its_header()
    {
        // Only the header has arrived: the limit must apply before the payload is buffered.
        ReadOnlySequence<byte> buffer = Single([0x24, 0x00, 0x05, 0xDD]);
        Assert.Equal(InterleavedReadStatus.FrameTooLarge, InterleavedFrame.TryRead(ref buffer, 1500, out _, out _));
        Assert.Equal(4, buffer.Length);

        ReadOnlySequence<byte> atLimit = Single([0x24, 0x00, 0x05, 0xDC]);
        Assert.Equal(InterleavedReadStatus.Incomplete, InterleavedFrame.TryRead(ref atLimit, 1500, out _, out _));
    }

    [Fact]
    public void Frames_and_RTSP_requests_interleave_on_one_connection()
    {
        // The demultiplexing a TCP session does: '$' means a frame, anything else a request.
        byte[] data =
        [
            .. Frame(0, RtpPacket),
            .. Ascii("GET_PARAMETER rtsp://h/cam1 RTSP/1.0\r\nCSeq: 9\r\nSession: abc\r\n\r\n"),
            .. Frame(1, [0x81, 0xC8]),
        ];
        ReadOnlySequence<byte> buffer = OneBytePerSegment(data);
        var parser = new RtspRequestParser(new RtspLimits());
        var request = new RtspRequest();
        var seen = new List<string>();

        while (!buffer.IsEmpty)
        {
            InterleavedReadStatus frame = InterleavedFrame.TryRead(ref buffer, out byte channel, out ReadOnlySequence<byte> payload);
            if (frame == InterleavedReadStatus.Complete)
            {
                seen.Add($"frame {channel} {payload.Length}");
                continue;
            }

            Assert.Equal(InterleavedReadStatus.NotAFrame, frame);
            Assert.Equal(RtspParseStatus.Complete, parser.TryParseRequest(ref buffer, request, out _));
            seen.Add($"{request.MethodName} {request.CSeq}");
        }

        Assert.Equal(["frame 0 15", "GET_PARAMETER 9", "frame 1 2"], seen);
    }

    [Fact]
    public void TryRead_does_not_allocate()
    {
        byte[] data = [.. Frame(0, RtpPacket), .. Frame(1, [0x81, 0xC8])];
        ReadOnlySequence<byte> multiSegment = SplitAt(data, 2, 10, 20);
        ReadOnlySequence<byte> contiguous = Single(data);

        // Warm up so JIT work is not counted.
        ReadAll(multiSegment);
        ReadAll(contiguous);

        long before = GC.GetAllocatedBytesForCurrentThread();
        int frames = 0;
        for (int i = 0; i < 1000; i++)
        {
            frames += ReadAll(multiSegment) + ReadAll(contiguous);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(4000, frames);
        Assert.Equal(0, allocated);

        static int ReadAll(ReadOnlySequence<byte> buffer)
        {
            int count = 0;
            while (InterleavedFrame.TryRead(ref buffer, out _, out _) == InterleavedReadStatus.Complete)
            {
                count++;
            }

            return count;
        }
    }

    [Fact]
    public void Write_into_a_pipe_reads_back()
    {
        var pipe = new System.IO.Pipelines.Pipe();
        InterleavedFrame.Write(pipe.Writer, 4, Encoding.ASCII.GetBytes("hello"));
        pipe.Writer.Complete();

        Assert.True(pipe.Reader.TryRead(out System.IO.Pipelines.ReadResult result));
        ReadOnlySequence<byte> buffer = result.Buffer;
        Assert.Equal(InterleavedReadStatus.Complete, InterleavedFrame.TryRead(ref buffer, out byte channel, out ReadOnlySequence<byte> payload));
        Assert.Equal((4, "hello"), (channel, Encoding.ASCII.GetString(payload.ToArray())));
        pipe.Reader.AdvanceTo(buffer.Start);
        pipe.Reader.Complete();
    }
}
