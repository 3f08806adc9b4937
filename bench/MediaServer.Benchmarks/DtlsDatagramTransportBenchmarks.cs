using BenchmarkDotNet.Attributes;
using MediaServer.WebRtc.Dtls;

namespace MediaServer.Benchmarks;

/// <summary>
/// The DTLS datagram hand-off runs on the shared UDP receive loop; it must not allocate, even
/// though DTLS datagrams are few per session.
/// </summary>
[MemoryDiagnoser]
public class DtlsDatagramTransportBenchmarks
{
    private readonly DtlsDatagramTransport _transport = new(static _ => { });
    private readonly byte[] _datagram = new byte[200];
    private readonly byte[] _receiveBuffer = new byte[DtlsDatagramTransport.DefaultReceiveLimit];

    [GlobalSetup]
    public void Setup() => _datagram[0] = 22;

    [Benchmark]
    public int EnqueueThenReceive()
    {
        _transport.Enqueue(_datagram);
        return _transport.Receive(_receiveBuffer, 0, _receiveBuffer.Length, 1);
    }
}
