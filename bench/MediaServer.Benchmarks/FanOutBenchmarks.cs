using BenchmarkDotNet.Attributes;
using MediaServer.Core.Access;
using MediaServer.Core.Packets;
using MediaServer.Core.Streams;
using MediaServer.Media.Sdp;

namespace MediaServer.Benchmarks;

/// <summary>
/// Ingest of one RTP packet into a stream and its fan-out to every reader's queue, then each reader
/// draining its queue (what an egress loop does before writing). Goal: 0 B allocated per packet.
/// Every invocation drains what it published, so no queue ever fills: the figure is the live path,
/// not the lagging-reader one, and <see cref="Cleanup"/> fails the run if any reader dropped a packet.
/// </summary>
[MemoryDiagnoser]
public class FanOutBenchmarks
{
    private MediaStream _stream = null!;
    private MediaStreamReader[] _readers = [];
    private byte[] _packet = [];
    private ushort _seq;

    [Params(1, 10, 100, 1000)]
    public int Readers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        if (!SessionDescription.TryParse(BenchPackets.H264Sdp, out SessionDescription? sdp, out _) ||
            !StreamId.TryCreate("bench/cam", out StreamId id))
        {
            throw new InvalidOperationException("Benchmark set-up is broken.");
        }

        _stream = new MediaStream(id, sdp!, new StreamOptions());
        var authorizer = new StreamAuthorizer([new PathOptions { Name = "~^.+$" }]);
        authorizer.Authorize(id, StreamAction.Read, out StreamGrant grant);
        _readers = Enumerable.Range(0, Readers).Select(_ => _stream.Subscribe(grant)).ToArray();

        // Start with a keyframe so readers are live, then warm the pool with P frames.
        _stream.PublishRtp(0, BenchPackets.Rtp(_seq++, 0, BenchPackets.Slice(0x65)));
        _packet = BenchPackets.Rtp(0, 3000, BenchPackets.Slice(0x41));
        for (int i = 0; i < 10_000; i++)
        {
            PublishAndDrain();
        }
    }

    [Benchmark]
    public void PublishAndDrain()
    {
        _stream.PublishRtp(0, _packet);
        foreach (MediaStreamReader reader in _readers)
        {
            while (reader.TryRead(out MediaPacket packet))
            {
                packet.Release();
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (MediaStreamReader reader in _readers)
        {
            if (reader.DroppedPackets != 0 || reader.Resyncs != 0)
            {
                throw new InvalidOperationException("A reader's queue overflowed: the benchmark measured the lagging path.");
            }

            reader.Dispose();
        }

        _stream.Close();
    }
}
