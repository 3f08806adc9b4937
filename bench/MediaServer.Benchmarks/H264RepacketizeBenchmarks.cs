using BenchmarkDotNet.Attributes;
using MediaServer.Media.Formats;
using MediaServer.Media.Formats.H264;

namespace MediaServer.Benchmarks;

/// <summary>
/// The WebRTC egress's H.264 step per camera packet: a payload that fits passes through; a 1400-byte
/// FU-A from a camera is cut to the browser's 1188-byte payloads. Goal: 0 B allocated.
/// </summary>
[MemoryDiagnoser]
public class H264RepacketizeBenchmarks
{
    private readonly H264Repacketizer _repacketizer = new(1188);
    private readonly ByteCounter _sink = new();
    private readonly byte[] _slice = new byte[1000];
    private readonly byte[] _fragment = new byte[1400];
    private uint _timestamp;

    [GlobalSetup]
    public void Setup()
    {
        _slice[0] = 0x41;
        _fragment[0] = 0x7C; // FU-A
        _fragment[1] = 0x01; // a middle fragment of a non-IDR slice
    }

    [Benchmark]
    public long PassThrough()
    {
        _repacketizer.Push(_slice, true, _timestamp += 3000, _sink);
        return _sink.Bytes;
    }

    [Benchmark]
    public long ResplitFuA()
    {
        _repacketizer.Push(_fragment, false, _timestamp, _sink);
        return _sink.Bytes;
    }

    private sealed class ByteCounter : IRtpPayloadSink
    {
        public long Bytes { get; private set; }

        public void OnPayload(ReadOnlySpan<byte> payload, bool marker) => Bytes += payload.Length;
    }
}
