using System.Buffers.Binary;

namespace MediaServer.Benchmarks;

/// <summary>
/// One H.264 group of pictures as a camera sends it: an IDR frame, then P frames, each cut into
/// FU-A packets of about 1.2 kB with the marker on the last packet of the frame. The packets are
/// made once; <see cref="Stamp"/> renumbers one in place so a benchmark can send the GOP again
/// and again as if it were new.
/// </summary>
internal static class BenchGop
{
    public const int Frames = 60;
    public const int PacketsPerFrame = 12;
    public const int Packets = Frames * PacketsPerFrame;
    public const uint FrameDuration = 3000; // 30 fps at 90 kHz

    private const int FuAPayloadLength = 1188;

    public static byte[][] Make()
    {
        var packets = new byte[Packets][];
        for (int frame = 0; frame < Frames; frame++)
        {
            byte nalType = (byte)(frame == 0 ? 5 : 1);
            for (int i = 0; i < PacketsPerFrame; i++)
            {
                byte[] payload = BenchPackets.Slice(0x7C, FuAPayloadLength); // FU indicator: NRI 3, FU-A
                payload[1] = (byte)((i == 0 ? 0x80 : 0) | (i == PacketsPerFrame - 1 ? 0x40 : 0) | nalType);
                packets[(frame * PacketsPerFrame) + i] = BenchPackets.Rtp(0, 0, payload, marker: i == PacketsPerFrame - 1);
            }
        }

        return packets;
    }

    /// <summary>Packet <paramref name="index"/> of GOP number <paramref name="gop"/>, renumbered in place.</summary>
    public static byte[] Stamp(byte[][] packets, int index, long gop)
    {
        byte[] packet = packets[index];
        long serial = (gop * Packets) + index;
        uint timestamp = (uint)(((gop * Frames) + (index / PacketsPerFrame)) * FrameDuration);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)serial);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
        return packet;
    }
}
