using System.Buffers.Binary;

namespace MediaServer.Benchmarks;

internal static class BenchPackets
{
    public const string H264Sdp =
        "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=bench\r\nt=0 0\r\n" +
        "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1\r\na=control:streamid=0\r\n";

    public static byte[] Rtp(ushort seq, uint timestamp, ReadOnlySpan<byte> payload, bool marker = true)
    {
        byte[] packet = new byte[12 + payload.Length];
        packet[0] = 0x80;
        packet[1] = (byte)((marker ? 0x80 : 0) | 96);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), seq);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 0x01020304);
        payload.CopyTo(packet.AsSpan(12));
        return packet;
    }

    /// <summary>A typical P-frame slice payload of about 1.2 kB.</summary>
    public static byte[] Slice(byte nalHeader, int length = 1188)
    {
        byte[] payload = new byte[length];
        payload[0] = nalHeader;
        for (int i = 1; i < payload.Length; i++)
        {
            payload[i] = (byte)(i * 31);
        }

        return payload;
    }
}
