using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using MediaServer.Rtsp.Protocol;
using MediaServer.Rtsp.Server;

namespace MediaServer.Rtsp.Tests.Server;

/// <summary>
/// The one writer of a connection: responses written at once while no egress runs, queued while
/// one does and written after its burst, never inside a frame, and handed back when it stops.
/// </summary>
public class RtspOutputTests
{
    private static readonly byte[] Rtp = [0x80, 0x60, 0x00, 0x01, 0x00, 0x00, 0x00, 0x10, 0x11, 0x22, 0x33, 0x44, 0xAB, 0xCD];
    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));

    [Fact]
    public async Task Without_an_egress_a_response_is_written_and_flushed_at_once()
    {
        var output = new RtspOutput(_pipe.Writer);
        await output.WriteResponseAsync(Response(cseq: 1));

        Assert.False(output.IsWritingFrames);
        Assert.Equal(Text(Response(cseq: 1)), await ReadAvailableAsync());
    }

    [Fact]
    public async Task While_an_egress_writes_a_response_waits_for_the_end_of_its_burst()
    {
        var output = new RtspOutput(_pipe.Writer);
        int wakes = 0;
        output.StartFrames(() => wakes++);
        Assert.True(output.IsWritingFrames);

        output.WriteRtp(0, Rtp, sequenceNumber: 7, timestamp: 9000, ssrc: 0xAABBCCDD);
        await output.WriteResponseAsync(Response(cseq: 2));
        Assert.Equal(1, wakes);
        Assert.False(_pipe.Reader.TryRead(out _)); // nothing flushed: the egress flushes

        output.WriteFrame(1, [0x81, 0xC8, 0x00, 0x00]);
        Assert.True(await output.FlushFramesAsync());

        byte[] written = await ReadAvailableBytesAsync();
        int frames = (4 + Rtp.Length) + (4 + 4);
        Assert.Equal((byte)'$', written[0]);
        Assert.Equal(0, written[1]);
        Assert.Equal((byte)'$', written[4 + Rtp.Length]);
        Assert.Equal(1, written[5 + Rtp.Length]);
        Assert.Equal(Text(Response(cseq: 2)), Encoding.ASCII.GetString(written.AsSpan(frames)));
    }

    [Fact]
    public async Task A_response_queued_after_the_last_burst_is_written_when_the_output_is_handed_back()
    {
        var output = new RtspOutput(_pipe.Writer);
        output.StartFrames(() => { });
        await output.WriteResponseAsync(Response(cseq: 3));
        await output.EndFramesAsync();

        Assert.False(output.IsWritingFrames);
        Assert.Equal(Text(Response(cseq: 3)), await ReadAvailableAsync());

        await output.WriteResponseAsync(Response(cseq: 4));
        Assert.Equal(Text(Response(cseq: 4)), await ReadAvailableAsync());
    }

    [Fact]
    public async Task The_egress_learns_that_its_flush_was_cancelled_or_the_client_is_gone()
    {
        var output = new RtspOutput(_pipe.Writer);
        output.StartFrames(() => { });
        output.CancelFlush();
        Assert.False(await output.FlushFramesAsync());
        Assert.True(await output.FlushFramesAsync());

        await _pipe.Reader.CompleteAsync();
        output.WriteRtp(0, Rtp, sequenceNumber: 8, timestamp: 9000, ssrc: 0xAABBCCDD);
        Assert.False(await output.FlushFramesAsync());
    }

    private static RtspResponse Response(int cseq) => new() { CSeq = cseq, Status = RtspStatusCode.Ok };

    private static string Text(RtspResponse response)
    {
        var buffer = new ArrayBufferWriter<byte>();
        response.WriteTo(buffer);
        return Encoding.ASCII.GetString(buffer.WrittenSpan);
    }

    private async Task<string> ReadAvailableAsync() => Encoding.ASCII.GetString(await ReadAvailableBytesAsync());

    private async Task<byte[]> ReadAvailableBytesAsync()
    {
        ReadResult result = await _pipe.Reader.ReadAsync();
        byte[] bytes = result.Buffer.ToArray();
        _pipe.Reader.AdvanceTo(result.Buffer.End);
        return bytes;
    }
}
