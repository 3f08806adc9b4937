using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace MediaServer.LoadGenerator;

/// <summary>
/// One RTSP session on a <see cref="CameraRtspConnection"/>: the camera's one track set up over
/// interleaved TCP (a channel on the connection) or UDP (a connected socket pair of its own,
/// sending to the client's ports). Sends the camera's interleaved burst re-framed for its
/// transport: the channel byte rewritten in place, or each RTP packet as one datagram.
/// </summary>
internal sealed class CameraPlaySession
{
    private readonly byte _channel;
    private readonly Socket? _rtp;
    private readonly Socket? _rtcp;
    private volatile bool _closed;

    private CameraPlaySession(string id, PulledCamera camera, CameraRtspConnection connection, byte channel, Socket? rtp, Socket? rtcp, string transport)
    {
        Id = id;
        Camera = camera;
        Connection = connection;
        _channel = channel;
        _rtp = rtp;
        _rtcp = rtcp;
        Transport = transport;
    }

    /// <summary>128 random bits, hex.</summary>
    public string Id { get; }

    public PulledCamera Camera { get; }

    public CameraRtspConnection Connection { get; }

    /// <summary>The Transport header of the SETUP answer.</summary>
    public string Transport { get; }

    public static CameraPlaySession Interleaved(PulledCamera camera, CameraRtspConnection connection, byte channel) =>
        new(NewId(), camera, connection, channel, null, null,
            $"RTP/AVP/TCP;unicast;interleaved={channel}-{channel + 1};ssrc={camera.Ssrc:X8}");

    public static CameraPlaySession Udp(PulledCamera camera, CameraRtspConnection connection, int clientRtpPort, int clientRtcpPort)
    {
        (Socket rtp, Socket rtcp) = BindPair(connection.LocalAddress);
        try
        {
            rtp.Connect(new IPEndPoint(connection.RemoteAddress, clientRtpPort));
            rtcp.Connect(new IPEndPoint(connection.RemoteAddress, clientRtcpPort));
        }
        catch
        {
            rtp.Dispose();
            rtcp.Dispose();
            throw;
        }

        int serverRtp = ((IPEndPoint)rtp.LocalEndPoint!).Port;
        int serverRtcp = ((IPEndPoint)rtcp.LocalEndPoint!).Port;
        return new(NewId(), camera, connection, 0, rtp, rtcp,
            $"RTP/AVP;unicast;client_port={clientRtpPort}-{clientRtcpPort};server_port={serverRtp}-{serverRtcp};ssrc={camera.Ssrc:X8}");
    }

    /// <summary>Sends one frame's burst (interleaved frames, as <see cref="CameraRtpStream"/> writes them).</summary>
    public SendOutcome Send(Span<byte> burst)
    {
        if (_closed)
        {
            return SendOutcome.Ended;
        }

        if (_rtp is null)
        {
            return Connection.SendInterleaved(burst, _channel);
        }

        try
        {
            for (int offset = 0; offset < burst.Length;)
            {
                int length = BinaryPrimitives.ReadUInt16BigEndian(burst[(offset + 2)..]);
                _rtp.Send(burst.Slice(offset + 4, length));
                offset += 4 + length;
            }

            return SendOutcome.Sent;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The session was closed, or the client closed its port (an ICMP port unreachable came
            // back), as a player that quit before its TEARDOWN arrived has: stop sending.
            return SendOutcome.Ended;
        }
    }

    /// <summary>Ends the session: no more frames; its UDP sockets are closed.</summary>
    public void Close()
    {
        _closed = true;
        Camera.Stop(this);
        _rtp?.Dispose();
        _rtcp?.Dispose();
    }

    private static string NewId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>An even RTP port and the odd RTCP port above it where the system allows (RFC 3550 11), else any two.</summary>
    private static (Socket Rtp, Socket Rtcp) BindPair(IPAddress address)
    {
        for (int attempt = 0; attempt < 32; attempt++)
        {
            Socket rtp = Bound(address, 0);
            int port = ((IPEndPoint)rtp.LocalEndPoint!).Port;
            if (port % 2 == 0 && port < IPEndPoint.MaxPort)
            {
                try
                {
                    return (rtp, Bound(address, port + 1));
                }
                catch (SocketException)
                {
                }
            }

            rtp.Dispose();
        }

        return (Bound(address, 0), Bound(address, 0));
    }

    private static Socket Bound(IPAddress address, int port)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(address, port));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
