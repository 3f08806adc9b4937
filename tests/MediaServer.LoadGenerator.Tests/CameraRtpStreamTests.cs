using System.Buffers.Binary;

namespace MediaServer.LoadGenerator.Tests;

public class CameraRtpStreamTests
{
    private readonly SyntheticH264 _h264 = new(2000, 30, gopSeconds: 1, maxPayload: 1188);

    [Fact]
    public void Every_fragment_but_a_nal_units_first_carries_the_write_time_and_says_whether_it_is_a_keyframes()
    {
        var stream = new CameraRtpStream(_h264, gopPhase: 0);
        byte[] burst = new byte[stream.MaxBurstLength];

        List<byte[]> keyframe = Packets(burst, stream.WriteFrame(burst, now: 4242).Length);
        List<byte[]> predicted = Packets(burst, stream.WriteFrame(burst, now: 4343).Length);

        Assert.Equal(_h264.Keyframe.Length, keyframe.Count);
        Assert.Equal(_h264.Predicted.Length, predicted.Count);
        foreach ((List<byte[]> packets, long time, bool isKeyframe) in new[] { (keyframe, 4242L, true), (predicted, 4343L, false) })
        {
            foreach (byte[] rtp in packets)
            {
                bool fuA = (rtp[12] & 0x1F) == 28;
                bool start = fuA && (rtp[13] & 0x80) != 0;
                Assert.Equal(fuA && !start, LatencyStamp.TryRead(rtp, out long stamp, out bool stampedKeyframe));
                if (fuA && !start)
                {
                    Assert.Equal(time, stamp);
                    Assert.Equal(isKeyframe, stampedKeyframe);
                }
            }
        }
    }

    [Fact]
    public void Packets_are_numbered_on_and_a_frame_shares_one_timestamp_and_ends_with_the_marker()
    {
        var stream = new CameraRtpStream(_h264, gopPhase: 5);
        byte[] burst = new byte[stream.MaxBurstLength];
        ushort sequence = stream.NextSequence;
        uint timestamp = stream.NextTimestamp;

        for (int frame = 0; frame < 3; frame++)
        {
            List<byte[]> packets = Packets(burst, stream.WriteFrame(burst, 0).Length);
            for (int i = 0; i < packets.Count; i++)
            {
                Assert.Equal(sequence++, BinaryPrimitives.ReadUInt16BigEndian(packets[i].AsSpan(2)));
                Assert.Equal(timestamp, BinaryPrimitives.ReadUInt32BigEndian(packets[i].AsSpan(4)));
                Assert.Equal(stream.Ssrc, BinaryPrimitives.ReadUInt32BigEndian(packets[i].AsSpan(8)));
                Assert.Equal(i == packets.Count - 1, (packets[i][1] & 0x80) != 0);
            }

            timestamp += _h264.TimestampStep;
        }
    }

    [Fact]
    public void Each_p_frame_carries_its_distance_from_the_gops_idr_as_frame_num()
    {
        var stream = new CameraRtpStream(_h264, gopPhase: _h264.FramesPerGop - 2);
        byte[] burst = new byte[stream.MaxBurstLength];
        var frameNumbers = new List<int>();
        for (int frame = 0; frame < 5; frame++)
        {
            List<byte[]> packets = Packets(burst, stream.WriteFrame(burst, 0).Length);
            byte[] first = packets[0];
            if ((first[12] & 0x1F) == 28 && (first[13] & 0x1F) == 1)
            {
                // The P slice header: first_mb_in_slice '1', slice_type 5 '00110', pps_id '1', then frame_num u(8).
                int bits = (first[14] << 16) | (first[15] << 8) | first[16];
                Assert.Equal(0b1001101, bits >> 17);
                frameNumbers.Add((bits >> 9) & 0xFF);
            }
            else
            {
                frameNumbers.Add(-1); // the IDR (after its SPS and PPS)
            }
        }

        Assert.Equal([_h264.FramesPerGop - 2, _h264.FramesPerGop - 1, -1, 1, 2], frameNumbers);
    }

    /// <summary>The RTP packets of the interleaved burst.</summary>
    private static List<byte[]> Packets(byte[] burst, int length)
    {
        var packets = new List<byte[]>();
        for (int offset = 0; offset < length;)
        {
            Assert.Equal((byte)'$', burst[offset]);
            Assert.Equal(0, burst[offset + 1]);
            int size = BinaryPrimitives.ReadUInt16BigEndian(burst.AsSpan(offset + 2));
            packets.Add(burst.AsSpan(offset + 4, size).ToArray());
            offset += 4 + size;
        }

        return packets;
    }
}
