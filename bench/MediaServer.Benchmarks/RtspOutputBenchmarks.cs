using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using MediaServer.Rtsp.Server;

namespace MediaServer.Benchmarks;

/// <summary>
/// The TCP egress burst of <see cref="EgressBenchmarks"/> written through the connection's
/// <see cref="RtspOutput"/>, as a reader's egress loop writes it: ten 1.2 kB RTP packets as
/// interleaved frames, then the flush that also writes any queued response (none here).
/// </summary>
[MemoryDiagnoser]
public class RtspOutputBenchmarks
{
    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
    private readonly byte[] _packet = BenchPackets.Rtp(1, 3000, BenchPackets.Slice(0x41));
    private RtspOutput _output = null!;
    private ushort _seq;

    [GlobalSetup]
    public void Setup()
    {
        _output = new RtspOutput(_pipe.Writer);
        _output.StartFrames(static () => { });
    }

    [Benchmark(OperationsPerInvoke = 10)]
    public async Task WriteBurstOfTenThroughOutput()
    {
        for (int i = 0; i < 10; i++)
        {
            _output.WriteRtp(0, _packet, _seq++, 3000, 0xAABBCCDD);
        }

        await _output.FlushFramesAsync();
        _pipe.Reader.TryRead(out ReadResult read);
        _pipe.Reader.AdvanceTo(read.Buffer.End);
    }
}
