using System.Net;
using System.Net.Sockets;

namespace MediaServer.Core.Net;

/// <summary>A <see cref="SocketAddress"/> as people read it (<c>127.0.0.1:5000</c>), for log lines only.</summary>
public static class SocketAddressText
{
    public static string Describe(SocketAddress address) =>
        new IPEndPoint(address.Family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0).Create(address).ToString() ?? "?";
}
