using MediaServer.Core.Packets;

namespace MediaServer.Core.Streams;

/// <summary>
/// The packets of one stream from the start of its latest keyframe access unit to now, so a new
/// reader can start decoding at once. Owned by its <see cref="MediaStream"/> and touched only by
/// that stream's publisher: it is reachable from nowhere else (DESIGN.md invariant 2).
/// Bounded in packets and bytes; a GOP that outgrows the bounds empties it until the next keyframe.
/// </summary>
internal sealed class SegmentCache
{
    private readonly MediaPacket[] _packets;
    private readonly long _maxBytes;
    private int _count;
    private long _bytes;

    public SegmentCache(int maxPackets, long maxBytes)
    {
        _packets = new MediaPacket[Math.Max(1, maxPackets)];
        _maxBytes = maxBytes;
    }

    /// <summary>True when the cache starts at a keyframe a decoder can start from.</summary>
    public bool StartsAtKeyframe { get; private set; }

    public int Count => _count;

    public long Bytes => _bytes;

    public ReadOnlySpan<MediaPacket> Packets => new(_packets, 0, _count);

    /// <summary>Keeps a reference to the packet; false (nothing changed) when the bounds would be exceeded.</summary>
    public bool Append(MediaPacket packet)
    {
        if (_count == _packets.Length || _bytes + packet.Length > _maxBytes)
        {
            return false;
        }

        packet.AddRef();
        _packets[_count++] = packet;
        _bytes += packet.Length;
        return true;
    }

    /// <summary>Drops everything before <paramref name="index"/>, which becomes the keyframe start.</summary>
    public void StartKeyframeAt(int index)
    {
        DropBefore(index);
        StartsAtKeyframe = true;
    }

    /// <summary>Drops everything before <paramref name="index"/>; what stays starts no keyframe.</summary>
    public void DropBefore(int index)
    {
        StartsAtKeyframe = false;
        for (int i = 0; i < index; i++)
        {
            _bytes -= _packets[i].Length;
            _packets[i].Release();
        }

        Array.Copy(_packets, index, _packets, 0, _count - index);
        Array.Clear(_packets, _count - index, index);
        _count -= index;
    }

    public void Clear()
    {
        for (int i = 0; i < _count; i++)
        {
            _packets[i].Release();
            _packets[i] = null!;
        }

        _count = 0;
        _bytes = 0;
        StartsAtKeyframe = false;
    }
}
