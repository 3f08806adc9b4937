using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using MediaServer.Testing.Stun;
using MediaServer.WebRtc.Stun;

namespace MediaServer.Benchmarks;

/// <summary>
/// What the ICE-lite port does for each browser connectivity check: parse the Binding request,
/// verify MESSAGE-INTEGRITY and FINGERPRINT, write the signed success response. Goal: 0 B.
/// </summary>
[MemoryDiagnoser]
public class StunBenchmarks
{
    private readonly byte[] _request = new byte[256];
    private readonly byte[] _response = new byte[256];
    private readonly byte[] _key = "serverpasswordserverpassword0123"u8.ToArray();
    private readonly SocketAddress _source = new IPEndPoint(IPAddress.Parse("192.168.1.20"), 50123).Serialize();
    private int _length;

    [GlobalSetup]
    public void Setup() => _length = StunRequestWriter.WriteBindingRequest(
        _request, new byte[12], "serverufragserverufrag:abcd"u8, _key, 2113937151, 0x1234567890, controlling: true, useCandidate: true);

    [Benchmark]
    public int HandleBindingRequest()
    {
        ReadOnlySpan<byte> datagram = _request.AsSpan(0, _length);
        if (StunMessage.TryParse(datagram, out StunMessage request) != StunParseError.None ||
            !request.VerifyMessageIntegrity(_key) ||
            !request.VerifyFingerprint())
        {
            return -1;
        }

        return StunMessageWriter.WriteBindingSuccess(_response, request.TransactionId, _source, _key);
    }
}
