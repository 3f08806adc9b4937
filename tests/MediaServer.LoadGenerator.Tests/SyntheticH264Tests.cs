namespace MediaServer.LoadGenerator.Tests;

public class SyntheticH264Tests
{
    [Theory]
    [InlineData(2000, 30, 2.0)]
    [InlineData(4000, 25, 2.0)]
    public void A_gop_carries_the_requested_bitrate(int kbps, int fps, double gopSeconds)
    {
        var stream = new SyntheticH264(kbps, fps, gopSeconds, maxPayload: 1188);
        long bytes = 0;
        for (int frame = 0; frame < stream.FramesPerGop; frame++)
        {
            bytes += stream.Frame(frame).Sum(p => p.Length + 12L); // RTP header included
        }

        double actualKbps = bytes * 8 / gopSeconds / 1000;
        Assert.InRange(actualKbps, kbps * 0.97, kbps * 1.05);
    }

    [Fact]
    public void Each_gop_opens_with_sps_pps_and_an_idr_and_every_payload_fits()
    {
        var stream = new SyntheticH264(2000, 30, 2.0, maxPayload: 1188);

        Assert.Equal(60, stream.FramesPerGop);
        Assert.Same(stream.Keyframe, stream.Frame(0));
        Assert.Same(stream.Keyframe, stream.Frame(60));
        Assert.Same(stream.Predicted, stream.Frame(1));
        Assert.Equal(7, stream.Keyframe[0][0] & 0x1F); // SPS
        Assert.Equal(8, stream.Keyframe[1][0] & 0x1F); // PPS
        Assert.Equal(28, stream.Keyframe[2][0] & 0x1F); // FU-A ...
        Assert.Equal(0x80 | 5, stream.Keyframe[2][1]); // ... starting an IDR slice
        Assert.Equal(0x80 | 1, stream.Predicted[0][1]); // P slices start non-IDR
        Assert.All(stream.Keyframe.Concat(stream.Predicted), p => Assert.InRange(p.Length, 1, 1188));
        Assert.True(stream.Keyframe.Length > 5 * stream.Predicted.Length);
    }
}
