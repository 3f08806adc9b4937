using System.Net;
using MediaServer.Core.Net;

namespace MediaServer.WebRtc;

/// <summary>Hands the datagrams of the shared WebRTC socket to <see cref="WebRtcUdpTransport.Dispatch"/>, with the loop's own buffer for STUN responses.</summary>
internal readonly struct WebRtcDatagramHandler(WebRtcUdpTransport transport) : IDatagramHandler
{
    private readonly byte[] _response = new byte[512];

    public void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress from) => transport.Dispatch(datagram, from, _response);
}
