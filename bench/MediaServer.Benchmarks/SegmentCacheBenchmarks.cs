using BenchmarkDotNet.Attributes;
using MediaServer.Core.Access;
using MediaServer.Core.Packets;
using MediaServer.Core.Streams;
using MediaServer.Media.Formats;
using MediaServer.Media.Sdp;

namespace MediaServer.Benchmarks;

/// <summary>
/// The segment cache, which every ingested packet of a video stream passes through: appending
/// packets, evicting the previous GOP when a new keyframe starts, and the whole cache path inside
/// <see cref="MediaStream.PublishRtp(int, ReadOnlySpan{byte})"/> with no reader attached. GOP:
/// 60 frames of 12 packets. Goal: 0 B allocated per packet.
/// </summary>
[MemoryDiagnoser]
public class SegmentCacheBenchmarks
{
    // As many caches as one eviction iteration uses up: an evicted cache must be filled again,
    // and filling it is the append cost, measured on its own below.
    private const int EvictionsPerIteration = 1024;

    // The SPS/PPS and first IDR packets of the next GOP, already in the cache when the IDR is seen.
    private const int NextGopHead = 2;

    // The cache finds GOPs on this track; the GOP's other packets come on another one, so they
    // are appended without a look at their payload.
    private const int KeyframeTrack = 0;
    private const int OtherTrack = 1;

    private readonly StreamOptions _options = new();
    private MediaPacketPool _pool = null!;
    private MediaPacket[] _packets = [];
    private SegmentCache _cache = null!;
    private SegmentCache[] _evictionCaches = [];
    private MediaStream _stream = null!;
    private byte[][] _gop = [];
    private long _gopNumber;

    [GlobalSetup]
    public void Setup()
    {
        if (!SessionDescription.TryParse(BenchPackets.H264Sdp, out SessionDescription? sdp, out _) ||
            !StreamId.TryCreate("bench/cam", out StreamId id))
        {
            throw new InvalidOperationException("Benchmark set-up is broken.");
        }

        // The benchmark holds one reference to each packet for good, so the caches' releases never
        // send one back to the pool: only the cache's own work is measured.
        _pool = new MediaPacketPool();
        // Packet 0 is the GOP's IDR (timestamp 0), the last two the next GOP's SPS and IDR (timestamp 1).
        _packets = new MediaPacket[BenchGop.Packets + NextGopHead];
        for (int i = 0; i < _packets.Length; i++)
        {
            _packets[i] = _pool.Rent(id, 1);
            Span<byte> data = _packets[i].PrepareWrite(1200);
            _packets[i].HeaderLength = 12;
            _packets[i].PayloadLength = data.Length - 12;
            _packets[i].TrackIndex = OtherTrack;
        }

        MakeKeyframeTrackPacket(_packets[0], 0x65, timestamp: 0);
        MakeKeyframeTrackPacket(_packets[^2], 0x67, timestamp: 1);
        MakeKeyframeTrackPacket(_packets[^1], 0x65, timestamp: 1);

        _cache = NewCache();
        _evictionCaches = new SegmentCache[EvictionsPerIteration];
        for (int i = 0; i < _evictionCaches.Length; i++)
        {
            _evictionCaches[i] = NewCache();
        }

        _stream = new MediaStream(id, sdp!, _options, new MediaPacketPool());
        _gop = BenchGop.Make();
        for (int i = 0; i < 20; i++)
        {
            PublishGop();
        }
    }

    /// <summary>
    /// The GOP's packets after its IDR (all on a track other than the keyframe track) appended one
    /// by one, then all released: per packet, the append with its 1/719 share of the eviction
    /// (<see cref="EvictGop"/> gives that share on its own).
    /// </summary>
    [Benchmark(OperationsPerInvoke = BenchGop.Packets - 1)]
    public int AppendPacket()
    {
        SegmentCache cache = _cache;
        for (int i = 1; i < BenchGop.Packets; i++)
        {
            cache.Add(_packets[i]);
        }

        int count = cache.Count;
        cache.Clear();
        return count;
    }

    [IterationSetup(Target = nameof(EvictGop))]
    public void FillEvictionCaches()
    {
        foreach (SegmentCache cache in _evictionCaches)
        {
            cache.Clear();
            for (int i = 0; i < BenchGop.Packets; i++)
            {
                cache.Add(_packets[i]);
            }
        }
    }

    /// <summary>
    /// The next GOP's parameter sets and IDR arrive: the cache finds the keyframe, drops the full
    /// previous GOP and keeps the new head. Per GOP.
    /// </summary>
    [Benchmark(OperationsPerInvoke = EvictionsPerIteration)]
    public int EvictGop()
    {
        int kept = 0;
        foreach (SegmentCache cache in _evictionCaches)
        {
            cache.Add(_packets[^2]);
            cache.Add(_packets[^1]);
            kept += cache.Count;
        }

        return kept;
    }

    /// <summary>Per packet: parse, keyframe tracking, cache append and eviction in a stream with no reader.</summary>
    [Benchmark(OperationsPerInvoke = BenchGop.Packets)]
    public long PublishGop()
    {
        long gop = _gopNumber++;
        for (int i = 0; i < BenchGop.Packets; i++)
        {
            _stream.PublishRtp(0, BenchGop.Stamp(_gop, i, gop));
        }

        return _stream.CachedPackets;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cache.Clear();
        foreach (SegmentCache cache in _evictionCaches)
        {
            cache.Clear();
        }

        foreach (MediaPacket packet in _packets)
        {
            packet.Release();
        }

        _stream.Close();
    }

    private SegmentCache NewCache() => new(_options.SegmentCachePackets, _options.SegmentCacheBytes, KeyframeTrack, CodecKind.H264);

    private static void MakeKeyframeTrackPacket(MediaPacket packet, byte nalHeader, uint timestamp)
    {
        packet.TrackIndex = KeyframeTrack;
        packet.Timestamp = timestamp;
        packet.PrepareWrite(packet.Length)[packet.HeaderLength] = nalHeader;
    }
}
