using MediaServer.Core.Packets;
using MediaServer.Core.Streams;
using MediaServer.Media.Formats;

namespace MediaServer.Core.Tests.Streams;

public sealed class SegmentCacheTests
{
    private const int Video = 0;
    private const int Audio = 1;

    private static readonly byte[] Sps = [0x67, 0x42, 0x00, 0x1F];
    private static readonly byte[] Pps = [0x68, 0xCE, 0x3C, 0x80];
    private static readonly byte[] Idr = [0x65, 0x88, 0x84, 0x00];
    private static readonly byte[] NonIdr = [0x41, 0x9A, 0x02, 0x00];
    private static readonly byte[] IdrFirstFragment = [0x7C, 0x85, 0x88, 0x84]; // FU-A, S bit, type 5
    private static readonly byte[] IdrMiddleFragment = [0x7C, 0x05, 0x11, 0x22];
    private static readonly byte[] IdrLastFragment = [0x7C, 0x45, 0x33, 0x44]; // E bit
    private static readonly byte[] Opus = [0xFC, 0xFF, 0xFE];

    private readonly MediaPacketPool _pool = new(64);
    private readonly StreamId _id = TestRtp.Id("cam1");

    [Fact]
    public void A_keyframe_starts_a_new_gop_with_the_parameter_sets_sent_before_it()
    {
        var cache = new SegmentCache(64, long.MaxValue, Video, CodecKind.H264);
        MediaPacket firstIdr = Packet(Video, 0, Idr);
        MediaPacket p1 = Packet(Video, 3000, NonIdr);
        MediaPacket p2 = Packet(Video, 6000, NonIdr);
        Assert.True(cache.Add(firstIdr));
        Assert.False(cache.Add(p1));
        Assert.False(cache.Add(p2));
        Assert.True(cache.StartsAtKeyframe);
        AssertCached(cache, firstIdr, p1, p2);

        MediaPacket sps = Packet(Video, 9000, Sps);
        MediaPacket pps = Packet(Video, 9000, Pps);
        MediaPacket idr = Packet(Video, 9000, Idr);
        Assert.False(cache.Add(sps));
        Assert.False(cache.Add(pps));
        Assert.True(cache.Add(idr));

        Assert.True(cache.StartsAtKeyframe);
        AssertCached(cache, sps, pps, idr);
        Assert.Equal(sps.Length + pps.Length + idr.Length, cache.Bytes);
        ReleaseOurs(firstIdr, p1, p2, sps, pps, idr);
        Assert.False(firstIdr.IsLeased, "the previous GOP keeps no reference in the cache");
        Assert.True(idr.IsLeased);

        cache.Clear();
        Assert.Equal(0, _pool.Outstanding);
    }

    [Fact]
    public void Only_the_first_fragment_of_a_keyframe_access_unit_starts_the_gop_and_its_other_fragments_stay()
    {
        var cache = new SegmentCache(64, long.MaxValue, Video, CodecKind.H264);
        MediaPacket first = Packet(Video, 0, IdrFirstFragment);
        MediaPacket middle = Packet(Video, 0, IdrMiddleFragment);
        MediaPacket last = Packet(Video, 0, IdrLastFragment);
        MediaPacket again = Packet(Video, 0, IdrFirstFragment); // a second slice of the same picture

        Assert.True(cache.Add(first));
        Assert.False(cache.Add(middle));
        Assert.False(cache.Add(last));
        Assert.False(cache.Add(again));

        Assert.True(cache.StartsAtKeyframe);
        AssertCached(cache, first, middle, last, again);
        ReleaseOurs(first, middle, last, again);
        cache.Clear();
        Assert.Equal(0, _pool.Outstanding);
    }

    [Fact]
    public void Before_the_first_keyframe_only_the_access_unit_in_progress_is_kept()
    {
        var cache = new SegmentCache(64, long.MaxValue, Video, CodecKind.H264);
        MediaPacket p1 = Packet(Video, 0, NonIdr);
        MediaPacket audio = Packet(Audio, 0, Opus);
        MediaPacket p2 = Packet(Video, 3000, NonIdr);

        Assert.False(cache.Add(p1));
        Assert.False(cache.Add(audio));
        Assert.False(cache.Add(p2));

        Assert.False(cache.StartsAtKeyframe);
        AssertCached(cache, p2);
        ReleaseOurs(p1, audio, p2);
        Assert.False(p1.IsLeased);
        Assert.False(audio.IsLeased);
        cache.Clear();
        Assert.Equal(0, _pool.Outstanding);
    }

    [Fact]
    public void Packets_of_other_tracks_are_kept_between_keyframes_and_dropped_with_their_gop()
    {
        var cache = new SegmentCache(64, long.MaxValue, Video, CodecKind.H264);
        MediaPacket idr = Packet(Video, 0, Idr);
        MediaPacket audio = Packet(Audio, 960, Opus);
        MediaPacket p1 = Packet(Video, 3000, NonIdr);
        Assert.True(cache.Add(idr));
        Assert.False(cache.Add(audio));
        Assert.False(cache.Add(p1));
        AssertCached(cache, idr, audio, p1);

        MediaPacket nextIdr = Packet(Video, 6000, Idr);
        Assert.True(cache.Add(nextIdr));
        AssertCached(cache, nextIdr);
        ReleaseOurs(idr, audio, p1, nextIdr);
        Assert.False(audio.IsLeased);
        cache.Clear();
        Assert.Equal(0, _pool.Outstanding);
    }

    [Fact]
    public void A_stream_without_a_keyframe_track_caches_nothing()
    {
        var cache = new SegmentCache(64, long.MaxValue, keyframeTrack: -1, CodecKind.Unknown);
        MediaPacket audio = Packet(0, 0, Opus);

        Assert.False(cache.Add(audio));

        Assert.Equal(0, cache.Count);
        Assert.False(cache.StartsAtKeyframe);
        ReleaseOurs(audio);
        Assert.Equal(0, _pool.Outstanding);
    }

    [Fact]
    public void A_gop_that_outgrows_the_cache_empties_it_but_for_the_access_unit_in_progress()
    {
        var cache = new SegmentCache(4, long.MaxValue, Video, CodecKind.H264);
        MediaPacket[] gop = [Packet(Video, 0, Idr), Packet(Video, 3000, NonIdr), Packet(Video, 6000, NonIdr), Packet(Video, 9000, NonIdr)];
        foreach (MediaPacket packet in gop)
        {
            cache.Add(packet);
        }

        Assert.Equal(4, cache.Count);
        MediaPacket overflow = Packet(Video, 12000, NonIdr);
        Assert.False(cache.Add(overflow));

        Assert.False(cache.StartsAtKeyframe);
        AssertCached(cache, overflow);

        // The next keyframe starts a GOP again.
        MediaPacket idr = Packet(Video, 15000, Idr);
        Assert.True(cache.Add(idr));
        Assert.True(cache.StartsAtKeyframe);
        AssertCached(cache, idr);
        ReleaseOurs([.. gop, overflow, idr]);
        cache.Clear();
        Assert.Equal(0, _pool.Outstanding);
    }

    [Fact]
    public void The_byte_bound_counts_like_the_packet_bound()
    {
        MediaPacket idr = Packet(Video, 0, Idr);
        var cache = new SegmentCache(64, (2 * idr.Length) + 1, Video, CodecKind.H264);
        MediaPacket p1 = Packet(Video, 3000, NonIdr);
        MediaPacket p2 = Packet(Video, 6000, NonIdr);

        Assert.True(cache.Add(idr));
        Assert.False(cache.Add(p1));
        Assert.False(cache.Add(p2));

        Assert.False(cache.StartsAtKeyframe);
        AssertCached(cache, p2);
        Assert.Equal(p2.Length, cache.Bytes);
        ReleaseOurs(idr, p1, p2);
        cache.Clear();
        Assert.Equal(0, _pool.Outstanding);
    }

    [Fact]
    public void A_keyframe_that_does_not_fit_is_reported_with_what_the_cache_holds_of_it_and_then_released()
    {
        var cache = new SegmentCache(2, long.MaxValue, Video, CodecKind.H264);
        MediaPacket sps = Packet(Video, 0, Sps);
        MediaPacket pps = Packet(Video, 0, Pps);
        MediaPacket idr = Packet(Video, 0, Idr);
        Assert.False(cache.Add(sps));
        Assert.False(cache.Add(pps));

        Assert.True(cache.Add(idr));

        // Readers starting at it take the cache and then the IDR packet itself.
        Assert.True(cache.KeyframeOutgrewCache);
        AssertCached(cache, sps, pps);
        cache.ReleaseKeyframeThatOutgrew();
        Assert.False(cache.KeyframeOutgrewCache);
        Assert.Equal(0, cache.Count);

        // Until the next keyframe the cache serves no one.
        MediaPacket p1 = Packet(Video, 3000, NonIdr);
        Assert.False(cache.Add(p1));
        Assert.False(cache.StartsAtKeyframe);
        ReleaseOurs(sps, pps, idr, p1);
        cache.Clear();
        Assert.Equal(0, _pool.Outstanding);
    }

    [Fact]
    public void An_access_unit_that_alone_outgrows_the_cache_empties_it()
    {
        var cache = new SegmentCache(2, long.MaxValue, Video, CodecKind.H264);
        MediaPacket idr = Packet(Video, 0, Idr);
        MediaPacket[] slices = [Packet(Video, 3000, NonIdr), Packet(Video, 3000, NonIdr), Packet(Video, 3000, NonIdr)];
        Assert.True(cache.Add(idr));
        Assert.False(cache.Add(slices[0]));
        Assert.False(cache.Add(slices[1]));
        Assert.Equal([slices[0], slices[1]], cache.Packets.ToArray());

        Assert.False(cache.Add(slices[2]));

        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.Bytes);
        Assert.False(cache.KeyframeOutgrewCache);
        ReleaseOurs([idr, .. slices]);
        Assert.Equal(0, _pool.Outstanding);
    }

    /// <summary>A packet as ingest leaves it: a 12-byte RTP header, then the payload.</summary>
    private MediaPacket Packet(int track, uint timestamp, byte[] payload)
    {
        MediaPacket packet = _pool.Rent(_id, 1);
        Span<byte> data = packet.PrepareWrite(12 + payload.Length);
        data[..12].Clear();
        payload.CopyTo(data[12..]);
        packet.HeaderLength = 12;
        packet.PayloadLength = payload.Length;
        packet.TrackIndex = track;
        packet.Timestamp = timestamp;
        return packet;
    }

    private static void AssertCached(SegmentCache cache, params MediaPacket[] expected) =>
        Assert.Equal(expected, cache.Packets.ToArray());

    private static void ReleaseOurs(params MediaPacket[] packets)
    {
        foreach (MediaPacket packet in packets)
        {
            packet.Release();
        }
    }
}
