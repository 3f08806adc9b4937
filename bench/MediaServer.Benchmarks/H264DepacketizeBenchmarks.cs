using BenchmarkDotNet.Attributes;
using MediaServer.Media.Formats;
using MediaServer.Media.Formats.H264;

namespace MediaServer.Benchmarks;

/// <summary>A 12 kB frame as ten FU-A fragments, reassembled into one NAL unit.</summary>
[MemoryDiagnoser]
public class H264DepacketizeBenchmarks
{
    private readonly byte[][] _fragments = MakeFragments(10, 1200);
    private readonly CountingSink _sink = new();
    private H264Depacketizer _depacketizer = null!;
    private ushort _seq;
    private uint _timestamp;

    [GlobalSetup]
    public void Setup()
    {
        _depacketizer = new H264Depacketizer(_sink);
        for (int i = 0; i < 100; i++)
        {
            Frame();
        }
    }

    [Benchmark]
    public int Frame()
    {
        _timestamp += 3000;
        for (int i = 0; i < _fragments.Length; i++)
        {
            _depacketizer.Push(_fragments[i], _seq++, _timestamp, i == _fragments.Length - 1);
        }

        return _sink.Bytes;
    }

    private static byte[][] MakeFragments(int count, int size)
    {
        var fragments = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            byte[] f = new byte[size];
            f[0] = 0x7C; // FU indicator: NRI 3, type 28
            f[1] = (byte)((i == 0 ? 0x80 : 0) | (i == count - 1 ? 0x40 : 0) | 0x05);
            fragments[i] = f;
        }

        return fragments;
    }

    private sealed class CountingSink : INalUnitSink
    {
        public int Bytes { get; private set; }

        public void OnNalUnit(ReadOnlySpan<byte> nalUnit, uint rtpTimestamp) => Bytes = nalUnit.Length;

        public void OnAccessUnitEnd(uint rtpTimestamp)
        {
        }
    }
}
