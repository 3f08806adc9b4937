using System.Net;

namespace MediaServer.Core.Net;

/// <summary>What a protocol does with each datagram its <see cref="UdpReceiveLoop{THandler}"/> receives.</summary>
public interface IDatagramHandler
{
    /// <summary>
    /// One datagram from <paramref name="from"/>; both are valid only during the call (the loop
    /// reuses them). An exception is logged and the loop goes on.
    /// </summary>
    void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress from);
}
