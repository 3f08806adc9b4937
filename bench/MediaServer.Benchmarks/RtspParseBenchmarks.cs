using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using MediaServer.Rtsp.Protocol;

namespace MediaServer.Benchmarks;

[MemoryDiagnoser]
public class RtspParseBenchmarks
{
    private readonly RtspRequestParser _parser = new(new RtspLimits());
    private readonly RtspRequest _request = new();
    private readonly ReadOnlySequence<byte> _setup = new(Encoding.ASCII.GetBytes(
        "SETUP rtsp://192.168.1.10:8554/cam1/trackID=0 RTSP/1.0\r\n" +
        "CSeq: 3\r\nUser-Agent: Lavf61.7.100\r\n" +
        "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n"));

    private readonly ReadOnlySequence<byte> _frame = new([(byte)'$', 0, 0x04, 0xB0, .. new byte[1200]]);

    [Benchmark]
    public int ParseSetupRequest()
    {
        ReadOnlySequence<byte> buffer = _setup;
        _request.Reset();
        _parser.TryParseRequest(ref buffer, _request, out _);
        return _request.CSeq;
    }

    [Benchmark]
    public long ParseInterleavedFrame()
    {
        ReadOnlySequence<byte> buffer = _frame;
        InterleavedFrame.TryRead(ref buffer, out byte channel, out ReadOnlySequence<byte> payload);
        return payload.Length + channel;
    }
}
