using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MediaServer.Core.Net;

/// <summary>
/// A listener could not bind its port at start-up. The message is one line naming the setting,
/// the port and why (typically another process holds it), so the executable can print it and
/// exit with code 2 instead of an unhandled exception.
/// </summary>
public sealed class PortBindException(string setting, string protocol, IPEndPoint endPoint, SocketError error, Exception inner)
    : Exception(Describe(setting, protocol, endPoint, error), inner)
{
    /// <summary>The configuration key of the port (<c>Rtsp:Port</c>), or a phrase starting with it for a derived port (RTCP).</summary>
    public string Setting { get; } = setting;

    public IPEndPoint EndPoint { get; } = endPoint;

    public SocketError Error { get; } = error;

    /// <summary>Binds <paramref name="socket"/>, turning a refusal into a <see cref="PortBindException"/> naming <paramref name="setting"/>.</summary>
    public static void Bind(Socket socket, IPEndPoint endPoint, string setting)
    {
        try
        {
            socket.Bind(endPoint);
        }
        catch (SocketException e)
        {
            throw new PortBindException(setting, socket.ProtocolType == ProtocolType.Udp ? "UDP" : "TCP", endPoint, e.SocketErrorCode, e);
        }
    }

    private static string Describe(string setting, string protocol, IPEndPoint endPoint, SocketError error)
    {
        string why = error switch
        {
            SocketError.AddressAlreadyInUse => "is in use: another process holds it; stop that process or choose another port",
            SocketError.AccessDenied => "may not be used by this process (ports below 1024 need privileges); choose another port",
            SocketError.AddressNotAvailable => $"cannot be bound: {endPoint.Address} is not an address of this host",
            _ => $"cannot be bound: {error}",
        };
        return string.Create(CultureInfo.InvariantCulture, $"{setting} {endPoint.Port} ({protocol} {endPoint}) {why}.");
    }
}
