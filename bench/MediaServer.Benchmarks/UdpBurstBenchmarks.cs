using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using MediaServer.Core.Net;

namespace MediaServer.Benchmarks;

/// <summary>
/// UDP egress of a burst: ten 1,200-byte datagrams to one loopback reader, sent as ten SendTo
/// calls (before) or queued in a <see cref="UdpSendBatch"/> and flushed once (sendmmsg on Linux).
/// Both copy each packet into their send buffer first, as the egress loops do. Figures are per
/// datagram (OperationsPerInvoke = 10); a burst costs ten times that. A background thread drains
/// the receiver so its queue never fills and the kernel's drop path never flatters either side.
/// </summary>
[MemoryDiagnoser]
public class UdpBurstBenchmarks : IDisposable
{
    private const int Burst = 10;
    private const int DatagramLength = 1200;

    private readonly byte[] _packet = new byte[DatagramLength];
    private readonly byte[] _scratch = new byte[DatagramLength];
    private Socket _receiver = null!;
    private Socket _sender = null!;
    private SocketAddress _destination = null!;
    private UdpSendBatch _batch = null!;
    private Thread _drain = null!;
    private volatile bool _stopping;

    [GlobalSetup]
    public void Setup()
    {
        Random.Shared.NextBytes(_packet);
        _receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 8 * 1024 * 1024 };
        _receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _destination = _receiver.LocalEndPoint!.Serialize();
        _sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { SendBufferSize = 4 * 1024 * 1024 };
        _sender.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _batch = new UdpSendBatch(_sender, 1500);
        _drain = new Thread(Drain) { IsBackground = true, Name = "bench-udp-drain" };
        _drain.Start();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stopping = true;
        Dispose();
        _drain.Join();
        Console.WriteLine($"// batch: {_batch.DatagramsSent} sent, {_batch.DatagramsDropped} dropped, {_batch.SendCalls} send calls, {_batch.SegmentedRuns} segmented runs, sendmmsg: {_batch.IsBatched}");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Burst)]
    public void SendToEach()
    {
        for (int i = 0; i < Burst; i++)
        {
            _packet.CopyTo(_scratch, 0);
            _sender.SendTo(_scratch, SocketFlags.None, _destination);
        }
    }

    [Benchmark(OperationsPerInvoke = Burst)]
    public void BatchedFlush()
    {
        for (int i = 0; i < Burst; i++)
        {
            _packet.CopyTo(_batch.Reserve());
            _batch.Commit(DatagramLength, _destination);
        }

        _batch.Flush();
    }

    public void Dispose()
    {
        _sender?.Dispose();
        _receiver?.Dispose();
    }

    private void Drain()
    {
        byte[] buffer = new byte[2048];
        while (!_stopping)
        {
            try
            {
                _receiver.Receive(buffer);
            }
            catch (Exception) when (_stopping)
            {
                return;
            }
        }
    }
}
