using MediaServer.Fuzzing.Tests.Generators;
using System.Buffers;
using MediaServer.Fuzz;
using MediaServer.Rtsp.Protocol;

namespace MediaServer.Fuzzing.Tests.Rtsp;

/// <summary>RTP/RTCP interleaved in the RTSP connection (RFC 2326 §10.12): what is written reads back whole, however it is segmented.</summary>
public class InterleavedFrameProperties
{
    [Fact]
    public void A_written_frame_reads_back_with_its_channel_and_payload_and_leaves_what_follows() =>
        Gen.Select(Gen.Byte, Gen.Byte.Array[0, 1500], Gen.Byte.Array[0, 8]).Sample((channel, payload, following) =>
        {
            var writer = new ArrayBufferWriter<byte>();
            InterleavedFrame.Write(writer, channel, payload);
            byte[] bytes = [.. writer.WrittenSpan, .. following];
            ReadOnlySequence<byte> buffer = Segments.Of(bytes, 0, bytes.Length);

            Assert.Equal(InterleavedReadStatus.Complete, InterleavedFrame.TryRead(ref buffer, out byte readChannel, out ReadOnlySequence<byte> readPayload));
            Assert.Equal(channel, readChannel);
            Assert.Equal(payload, readPayload.ToArray());
            Assert.Equal(following, buffer.ToArray());
        }, iter: Budget.Cheap);

    [Fact]
    public void A_cut_frame_is_incomplete_and_nothing_is_consumed() =>
        Gen.Select(Gen.Byte, Gen.Byte.Array[0, 600]).SelectMany((channel, payload) =>
            Gen.Int[1, InterleavedFrame.HeaderLength + payload.Length - 1].Select(cut => (channel, payload, cut)))
        .Sample(t =>
        {
            var writer = new ArrayBufferWriter<byte>();
            InterleavedFrame.Write(writer, t.channel, t.payload);
            byte[] cut = writer.WrittenSpan[..t.cut].ToArray();
            var buffer = new ReadOnlySequence<byte>(cut);
            Assert.Equal(InterleavedReadStatus.Incomplete, InterleavedFrame.TryRead(ref buffer, out _, out _));
            Assert.Equal(cut.Length, buffer.Length);
        }, iter: Budget.Cheap);

    [Fact]
    public void Any_bytes_give_a_status_that_matches_their_header() =>
        Gen.Select(Gen.Byte.Array[0, 40], Gen.Int[0, 70000]).Sample((bytes, limit) =>
        {
            var buffer = new ReadOnlySequence<byte>(bytes);
            InterleavedReadStatus status = InterleavedFrame.TryRead(ref buffer, limit, out _, out ReadOnlySequence<byte> payload);
            InterleavedReadStatus expected =
                bytes.Length == 0 ? InterleavedReadStatus.Incomplete
                : bytes[0] != InterleavedFrame.Magic ? InterleavedReadStatus.NotAFrame
                : bytes.Length < 4 ? InterleavedReadStatus.Incomplete
                : ((bytes[2] << 8) | bytes[3]) > limit ? InterleavedReadStatus.FrameTooLarge
                : bytes.Length < 4 + ((bytes[2] << 8) | bytes[3]) ? InterleavedReadStatus.Incomplete
                : InterleavedReadStatus.Complete;
            Assert.Equal(expected, status);
            Assert.Equal(status == InterleavedReadStatus.Complete ? bytes.Length - 4 - payload.Length : bytes.Length, buffer.Length);
        }, iter: Budget.Cheap);
}
