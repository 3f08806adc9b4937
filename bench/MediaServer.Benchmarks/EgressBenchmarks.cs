using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using MediaServer.Core.Egress;
using MediaServer.Rtsp.Server;

namespace MediaServer.Benchmarks;

/// <summary>
/// TCP egress of a burst: ten 1.2 kB RTP packets rewritten for one reader by its track's
/// <see cref="RtpSender"/> and written as interleaved frames into a pipe, then one flush (what
/// each reader's egress loop does per wake).
/// </summary>
[MemoryDiagnoser]
public class EgressBenchmarks
{
    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
    private readonly byte[] _packet = BenchPackets.Rtp(1, 3000, BenchPackets.Slice(0x41));
    private readonly RtpSender _sender = new(0xAABBCCDD, 0);

    [Benchmark(OperationsPerInvoke = 10)]
    public async Task WriteBurstOfTen()
    {
        for (int i = 0; i < 10; i++)
        {
            InterleavedRtpWriter.Write(_pipe.Writer, 0, _packet, _sender.TakeSequenceNumber(), 3000, _sender.Ssrc);
            _sender.OnSent(_packet.Length - 12);
        }

        await _pipe.Writer.FlushAsync();
        _pipe.Reader.TryRead(out ReadResult read);
        _pipe.Reader.AdvanceTo(read.Buffer.End);
    }
}
