using BenchmarkDotNet.Attributes;
using MediaServer.Media.Rtp;

namespace MediaServer.Benchmarks;

[MemoryDiagnoser]
public class RtpParseBenchmarks
{
    private readonly byte[] _packet = BenchPackets.Rtp(1234, 90000, BenchPackets.Slice(0x41));

    [Benchmark]
    public int ParseHeader()
    {
        RtpHeader.TryParse(_packet, out RtpHeader header);
        return header.PayloadLength;
    }
}
