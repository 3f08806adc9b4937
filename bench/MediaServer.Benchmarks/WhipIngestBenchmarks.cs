using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using MediaServer.Core.Access;
using MediaServer.Core.Packets;
using MediaServer.Core.Streams;
using MediaServer.Testing.WebRtc;
using MediaServer.WebRtc;
using MediaServer.WebRtc.Dtls;
using MediaServer.WebRtc.Stun;
using MediaServer.WebRtc.Whip;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaServer.Benchmarks;

/// <summary>
/// A WHIP publisher's decrypted RTP packet from the transport to the stream: attribution to its
/// track by SSRC, loss tracking for NACKs, publication to one reader, the per-datagram wake. Must
/// allocate nothing per packet.
/// </summary>
[MemoryDiagnoser]
public class WhipIngestBenchmarks : IDisposable
{
    private const int Packets = 64;

    private readonly byte[][] _packets = new byte[Packets][];
    private WebRtcUdpTransport _udp = null!;
    private WebRtcSession _session = null!;
    private MediaStreamReader _reader = null!;
    private ushort _sequenceNumber;

    [GlobalSetup]
    public void Setup()
    {
        var options = new WebRtcOptions { UdpAddress = "127.0.0.1", UdpPort = 0 };
        var streams = new StreamRegistry(new StreamOptions());
        var authorizer = new StreamAuthorizer([new PathOptions { Name = "cam1" }]);
        _udp = new WebRtcUdpTransport(options, NullLogger<WebRtcUdpTransport>.Instance);
        var server = new WebRtcServer(streams, authorizer, _udp, DtlsCertificate.Generate(DateTimeOffset.UtcNow), options, NullLoggerFactory.Instance);
        string offer = WhipClient.Offer(IceCredentials.NewUfrag(), IceCredentials.NewPassword(), DtlsCertificate.Generate(DateTimeOffset.UtcNow).Fingerprint);
        _session = server.CreatePublishSession("cam1", offer, Principal.Everyone).Session
            ?? throw new InvalidOperationException("Could not create the WHIP session.");
        if (!StreamId.TryCreate("cam1", out StreamId id) || authorizer.Authorize(id, StreamAction.Read, Principal.Everyone, out StreamGrant grant) != AccessDecision.Allowed)
        {
            throw new InvalidOperationException("Could not read the benchmark stream.");
        }

        _reader = _session.Stream.Subscribe(grant);
        for (int i = 0; i < Packets; i++)
        {
            _packets[i] = new byte[1200];
            _packets[i][0] = 0x80;
            _packets[i][1] = 96;
            BinaryPrimitives.WriteUInt32BigEndian(_packets[i].AsSpan(8), 0x5151);
            _packets[i][12] = i == 0 ? (byte)0x65 : (byte)0x41;
        }
    }

    public void Dispose()
    {
        _session?.Dispose();
        _udp?.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Packets)]
    public int PublishAFrame()
    {
        WhipIngest ingest = _session.Ingest!;
        var transport = (WebRtcPeerTransport)_session.Transports[0];
        for (int i = 0; i < Packets; i++)
        {
            byte[] rtp = _packets[i];
            BinaryPrimitives.WriteUInt16BigEndian(rtp.AsSpan(2), _sequenceNumber++);
            BinaryPrimitives.WriteUInt32BigEndian(rtp.AsSpan(4), (uint)(_sequenceNumber / Packets * 3000));
            ingest.OnRtp(transport, rtp);
        }

        int read = 0;
        while (_reader.TryRead(out MediaPacket packet))
        {
            packet.Release();
            read++;
        }

        return read;
    }
}
