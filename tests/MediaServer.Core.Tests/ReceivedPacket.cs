using MediaServer.Core.Packets;
using MediaServer.Core.Streams;

namespace MediaServer.Core.Tests;

/// <summary>What a reader got, copied out so the packet can be released.</summary>
internal readonly record struct ReceivedPacket(int Track, ushort Seq, byte Nal, byte Tag, string StampedPath)
{
    public static List<ReceivedPacket> Drain(MediaStreamReader reader)
    {
        var list = new List<ReceivedPacket>();
        while (reader.TryRead(out MediaPacket p))
        {
            list.Add(new ReceivedPacket(p.TrackIndex, p.SequenceNumber, p.Payload[0], p.Payload[^1], p.StampedStreamId.Path));
            p.Release();
        }

        return list;
    }
}
