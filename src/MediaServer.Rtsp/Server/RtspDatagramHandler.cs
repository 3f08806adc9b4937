using System.Net;
using MediaServer.Core.Net;

namespace MediaServer.Rtsp.Server;

/// <summary>Hands the datagrams of the server's RTP or RTCP socket to <see cref="RtspUdpTransport.Route"/>.</summary>
internal readonly struct RtspDatagramHandler(RtspUdpTransport transport, bool isRtcp) : IDatagramHandler
{
    public void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress from) => transport.Route(datagram, from, isRtcp);
}
