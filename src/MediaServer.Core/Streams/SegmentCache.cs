using MediaServer.Core.Packets;
using MediaServer.Media.Formats;

namespace MediaServer.Core.Streams;

/// <summary>
/// The packets of one stream from the start of its latest keyframe access unit to now (the
/// current GOP), so a new reader can start decoding at once. Owned by its <see cref="MediaStream"/>
/// and touched only by that stream's publisher: it is reachable from nowhere else (DESIGN.md
/// invariant 2).
/// <para>
/// The GOP is found on one track, the stream's keyframe track: an access unit is the run of its
/// packets with one RTP timestamp, and the access unit that proves to hold a keyframe (often only
/// after its parameter sets went by) starts a new GOP, whole. Packets of other tracks are kept
/// between. A stream without a keyframe track (audio only) caches nothing: its readers start at
/// any packet. Bounded in packets and bytes; a GOP that outgrows the bounds empties the cache
/// until the next keyframe.
/// </para>
/// </summary>
internal sealed class SegmentCache
{
    private readonly MediaPacket[] _packets;
    private readonly long _maxBytes;
    private readonly int _keyframeTrack;
    private readonly CodecKind _keyframeCodec;
    private int _count;
    private long _bytes;

    // The access unit in progress on the keyframe track.
    private bool _accessUnitStarted;
    private uint _accessUnitTimestamp;
    private int _accessUnitStart;
    private bool _accessUnitChecked;

    /// <param name="keyframeTrack">The track whose keyframes start a GOP; negative when the stream has none.</param>
    /// <param name="keyframeCodec">The codec of <paramref name="keyframeTrack"/>.</param>
    public SegmentCache(int maxPackets, long maxBytes, int keyframeTrack, CodecKind keyframeCodec)
    {
        _packets = new MediaPacket[Math.Max(1, maxPackets)];
        _maxBytes = maxBytes;
        _keyframeTrack = keyframeTrack;
        _keyframeCodec = keyframeCodec;
    }

    /// <summary>True when the cache starts at a keyframe a decoder can start from.</summary>
    public bool StartsAtKeyframe { get; private set; }

    /// <summary>
    /// The keyframe <see cref="Add"/> just reported did not fit: readers starting at it take
    /// <see cref="Packets"/> and then that packet themselves. Cleared by <see cref="ReleaseKeyframeThatOutgrew"/>.
    /// </summary>
    public bool KeyframeOutgrewCache { get; private set; }

    public int Count => _count;

    public long Bytes => _bytes;

    public ReadOnlySpan<MediaPacket> Packets => new(_packets, 0, _count);

    /// <summary>
    /// Keeps the cache at "latest keyframe to now" with this packet of the stream (taking a
    /// reference when it keeps it); true when this packet proves that a keyframe starts.
    /// </summary>
    public bool Add(MediaPacket packet)
    {
        if (_keyframeTrack < 0)
        {
            return false;
        }

        bool keyframeStarts = packet.TrackIndex == _keyframeTrack && TrackAccessUnit(packet);
        if (Append(packet))
        {
            return keyframeStarts;
        }

        // The GOP outgrew the cache: serve no partial GOP. Keep the current access unit, which may
        // still prove to be the next keyframe.
        DropBefore(_accessUnitStart);
        _accessUnitStart = 0;
        if (!keyframeStarts && Append(packet))
        {
            return false;
        }

        if (keyframeStarts)
        {
            // Even the keyframe does not fit: readers waiting for it still start here, from what
            // the cache holds of it plus this packet; then the cache stays empty until the next one.
            KeyframeOutgrewCache = true;
            return true;
        }

        // Not even this access unit fits. If it still proves to be a keyframe, readers start at its
        // IDR; the parameter sets they miss in band are in the SDP DESCRIBE gives them.
        Clear();
        return false;
    }

    /// <summary>
    /// Once the packet <see cref="Add"/> last took has gone to the readers: a keyframe that did not
    /// fit has served those that started at it, and the cache empties until the next one.
    /// </summary>
    public void ReleaseKeyframeThatOutgrew()
    {
        if (KeyframeOutgrewCache)
        {
            KeyframeOutgrewCache = false;
            Clear();
        }
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

    /// <summary>A packet of the keyframe track: true when it proves its access unit a keyframe.</summary>
    private bool TrackAccessUnit(MediaPacket packet)
    {
        if (!_accessUnitStarted || packet.Timestamp != _accessUnitTimestamp)
        {
            if (!StartsAtKeyframe)
            {
                // Without a keyframe at its head the cache serves no one: keep only the access
                // unit that starts now, in case it turns out to be a keyframe.
                DropBefore(_count);
            }

            _accessUnitStarted = true;
            _accessUnitTimestamp = packet.Timestamp;
            _accessUnitStart = _count;
            _accessUnitChecked = false;
        }

        if (_accessUnitChecked || !KeyframeDetector.ContainsRandomAccess(_keyframeCodec, packet.Payload))
        {
            return false;
        }

        // The access unit began a few packets ago (parameter sets come first): keep it whole.
        _accessUnitChecked = true;
        DropBefore(_accessUnitStart);
        StartsAtKeyframe = true;
        _accessUnitStart = 0;
        return true;
    }

    /// <summary>Keeps a reference to the packet; false (nothing changed) when the bounds would be exceeded.</summary>
    private bool Append(MediaPacket packet)
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

    /// <summary>Drops everything before <paramref name="index"/>; what stays starts no keyframe.</summary>
    private void DropBefore(int index)
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
}
