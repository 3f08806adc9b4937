using System.Net;
using System.Net.Sockets;
using MediaServer.Core.Attribution;
using MediaServer.Core.Metrics;
using MediaServer.Core.Net;
using Microsoft.Extensions.Logging;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// The server's RTP and RTCP UDP sockets, shared by every session that chose RTP/AVP over UDP.
/// Incoming datagrams are routed by their source address, which SETUP claimed for exactly one
/// session track and one of the two sockets (DESIGN.md invariant 7: a second claim of a live
/// address is refused, never rebinds it); datagrams from any other address are dropped and counted.
/// </summary>
public sealed class RtspUdpTransport : IDisposable
{
    private static readonly Prometheus.Counter.Child UnknownRtp = MetricsRegistry.UnknownSourceDatagrams.WithLabels("rtsp_rtp");
    private static readonly Prometheus.Counter.Child UnknownRtcp = MetricsRegistry.UnknownSourceDatagrams.WithLabels("rtsp_rtcp");

    private readonly ClaimTable<SocketAddress, UdpTrackSink> _sources;
    private readonly ILogger _logger;
    private readonly Socket _rtp;
    private readonly Socket _rtcp;
    private readonly UdpReceiveLoop<RtspDatagramHandler> _rtpLoop;
    private readonly UdpReceiveLoop<RtspDatagramHandler> _rtcpLoop;
    // An Ethernet-sized datagram; a camera's larger packets (possible over TCP ingest) go one by one.
    private const int RtpBatchPacketLength = 1500;

    private long _unknownSourceDatagrams;

    public RtspUdpTransport(RtspOptions options, ILogger<RtspUdpTransport> logger)
    {
        _logger = logger;
        _sources = new ClaimTable<SocketAddress, UdpTrackSink>(AttributionMap.RtspUdpSource, logger, describeKey: SocketAddressText.Describe);
        IPAddress address = IPAddress.Parse(options.Address);
        (_rtp, _rtcp) = BindPair(address, options.RtpPort);
        RtpBatches = new UdpSendBatchPool(_rtp, RtpBatchPacketLength);
        LocalAddress = address;
        _rtpLoop = new UdpReceiveLoop<RtspDatagramHandler>(_rtp, new RtspDatagramHandler(this, isRtcp: false), "rtsp-udp-rtp", "UDP", logger);
        _rtcpLoop = new UdpReceiveLoop<RtspDatagramHandler>(_rtcp, new RtspDatagramHandler(this, isRtcp: true), "rtsp-udp-rtcp", "UDP", logger);
    }

    public IPAddress LocalAddress { get; }

    public int RtpPort => ((IPEndPoint)_rtp.LocalEndPoint!).Port;

    public int RtcpPort => ((IPEndPoint)_rtcp.LocalEndPoint!).Port;

    public long UnknownSourceDatagrams => Interlocked.Read(ref _unknownSourceDatagrams);

    /// <summary>Client source addresses claimed by session tracks (invariant 7).</summary>
    internal ClaimTable<SocketAddress, UdpTrackSink> Sources => _sources;

    /// <summary>Claims the sink's source address; false (logged, counted) when another track holds it.</summary>
    internal bool TryClaim(UdpTrackSink sink, string claimant) => _sources.TryClaim(sink.Source, sink, claimant);

    internal void Release(UdpTrackSink sink) => _sources.Release(sink.Source, sink);

    /// <summary>Send batches for RTP, lent to reader egress loops per burst.</summary>
    internal UdpSendBatchPool RtpBatches { get; }

    internal void Send(ReadOnlySpan<byte> datagram, SocketAddress destination, bool isRtcp)
    {
        try
        {
            (isRtcp ? _rtcp : _rtp).SendTo(datagram, SocketFlags.None, destination);
        }
        catch (SocketException)
        {
            // A reader that went away: its session times out; nothing to do per packet.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _rtpLoop.Stop();
        _rtcpLoop.Stop();
        _rtp.Dispose();
        _rtcp.Dispose();
    }

    private static (Socket Rtp, Socket Rtcp) BindPair(IPAddress address, int rtpPort)
    {
        if (rtpPort != 0)
        {
            if (rtpPort % 2 != 0)
            {
                throw new ArgumentException($"Rtsp:RtpPort must be even (RTCP uses the next port); got {rtpPort}.");
            }

            Socket rtp = BindUdp(address, rtpPort, "Rtsp:RtpPort");
            try
            {
                return (rtp, BindUdp(address, rtpPort + 1, $"Rtsp:RtpPort {rtpPort}: its RTCP port"));
            }
            catch
            {
                rtp.Dispose();
                throw;
            }
        }

        for (int attempt = 0; attempt < 100; attempt++)
        {
            Socket rtp = BindUdp(address, 0, "Rtsp:RtpPort");
            int port = ((IPEndPoint)rtp.LocalEndPoint!).Port;
            if (port % 2 == 0 && port < 65535)
            {
                try
                {
                    return (rtp, BindUdp(address, port + 1, "Rtsp:RtpPort"));
                }
                catch (PortBindException)
                {
                }
            }

            rtp.Dispose();
        }

        throw new InvalidOperationException("Could not find a free even/odd UDP port pair for RTP/RTCP.");
    }

    private static Socket BindUdp(IPAddress address, int port, string setting)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.ReceiveBufferSize = 4 * 1024 * 1024;
            socket.SendBufferSize = 4 * 1024 * 1024;
            PortBindException.Bind(socket, new IPEndPoint(address, port), setting);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Receive thread: a datagram goes to the track that claimed its source for this socket; a
    /// source claimed for the other socket is as unknown here as one never claimed.
    /// </summary>
    internal void Route(ReadOnlySpan<byte> datagram, SocketAddress from, bool isRtcp)
    {
        if (_sources.TryGet(from, out UdpTrackSink? sink) && sink.IsRtcp == isRtcp)
        {
            sink.OnDatagram(datagram);
        }
        else
        {
            Interlocked.Increment(ref _unknownSourceDatagrams);
            (isRtcp ? UnknownRtcp : UnknownRtp).Inc();
        }
    }
}
