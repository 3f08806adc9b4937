using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using MediaServer.Core.Streams;
using MediaServer.Media.Sdp;
using MediaServer.Rtsp.Server;

namespace MediaServer.Benchmarks;

/// <summary>
/// What an RTSP reader's egress adds per packet for its join: the timestamp mapping of a live
/// packet after a catch-up join, and the pacer's bookkeeping for a replayed one.
/// </summary>
[MemoryDiagnoser]
public class JoinTimelineBenchmarks
{
    private const string Sdp =
        "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=cam\r\nt=0 0\r\n" +
        "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=control:streamid=0\r\n" +
        "m=audio 0 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=control:streamid=1\r\n";

    private readonly ReplayPacer _pacer = new(long.MaxValue / 2, 32 * 1024);
    private JoinTimeline _timeline = null!;
    private uint _timestamp;

    [GlobalSetup]
    public void Setup()
    {
        if (!SessionDescription.TryParse(Sdp, out SessionDescription? sdp, out string? error) || !StreamId.TryCreate("cam", out StreamId id))
        {
            throw new InvalidOperationException(error);
        }

        _timeline = new JoinTimeline(JoinMode.Catchup, new MediaStream(id, sdp!, new StreamOptions()).Tracks);
        long now = Stopwatch.GetTimestamp();
        _timeline.TryMap(0, 0, now, now, out _, out _);
    }

    [Benchmark(OperationsPerInvoke = 10)]
    public uint MapLivePacket()
    {
        long now = Stopwatch.GetTimestamp();
        uint sum = 0;
        for (int i = 0; i < 10; i++)
        {
            _timeline.TryMap(i & 1, _timestamp += 300, now, now, out uint ts, out _);
            sum += ts;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = 10)]
    public long PaceReplayedPacket()
    {
        long now = Stopwatch.GetTimestamp();
        long wait = 0;
        for (int i = 0; i < 10; i++)
        {
            wait += _pacer.TicksUntilReady(now);
            _pacer.OnSent(1200, now);
        }

        return wait;
    }
}
