using System.Net;
using System.Net.Sockets;
using MediaServer.Core.Net;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace MediaServer;

/// <summary>
/// The TCP listeners' sockets, bound before the host starts so that a port another process holds
/// is reported as one line naming its setting (<see cref="PortBindException"/>) rather than as
/// Kestrel's start-up failure with a stack trace. Kestrel takes each socket over through
/// <see cref="SocketTransportOptions.CreateBoundListenSocket"/>; a port of 0 is resolved here, so
/// every listener has a distinct end point by the time Kestrel asks for it.
/// </summary>
internal sealed class ListenerSockets : IDisposable
{
    private readonly Dictionary<IPEndPoint, Socket> _bound = [];
    private readonly List<Listener> _listeners = [];

    /// <summary>Every listener bound, in the order they were, for the start-up log.</summary>
    public IReadOnlyList<Listener> Listeners => _listeners;

    /// <summary>
    /// Binds <paramref name="address"/>:<paramref name="port"/> for the listener of
    /// <paramref name="setting"/>, which speaks <paramref name="scheme"/>; returns the bound end point.
    /// </summary>
    public IPEndPoint Bind(IPAddress address, int port, string setting, string scheme)
    {
        var endPoint = new IPEndPoint(address, port);
        Socket socket;
        try
        {
            socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endPoint);
        }
        catch (SocketException e)
        {
            throw new PortBindException(setting, "TCP", endPoint, e.SocketErrorCode, e);
        }

        var bound = (IPEndPoint)socket.LocalEndPoint!;
        _bound[bound] = socket;
        _listeners.Add(new Listener(setting, scheme, bound));
        return bound;
    }

    /// <summary>For Kestrel: the socket bound for <paramref name="endPoint"/>, handed over once.</summary>
    public Socket TakeOver(EndPoint endPoint) =>
        endPoint is IPEndPoint ip && _bound.Remove(ip, out Socket? socket)
            ? socket
            : SocketTransportOptions.CreateDefaultBoundListenSocket(endPoint);

    /// <summary>Closes the sockets Kestrel never took (start-up failed before it bound them).</summary>
    public void Dispose()
    {
        foreach (Socket socket in _bound.Values)
        {
            socket.Dispose();
        }

        _bound.Clear();
    }
}
