using System.Net;
using System.Net.Sockets;

namespace MediaServer.Rtsp.Client;

/// <summary>
/// A client_port pair (RFC 3550 §11: RTP on an even port, RTCP on the next) bound on the local
/// address of the RTSP connection, so the camera sends where it already reaches us.
/// </summary>
internal sealed class UdpPortPair : IDisposable
{
    private const int Attempts = 64;

    private UdpPortPair(Socket rtp, Socket rtcp)
    {
        Rtp = rtp;
        Rtcp = rtcp;
        RtpPort = ((IPEndPoint)rtp.LocalEndPoint!).Port;
    }

    public Socket Rtp { get; }

    public Socket Rtcp { get; }

    public int RtpPort { get; }

    public int RtcpPort => RtpPort + 1;

    public static UdpPortPair Bind(IPAddress address)
    {
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            var rtp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                rtp.Bind(new IPEndPoint(address, 0));
                int port = ((IPEndPoint)rtp.LocalEndPoint!).Port;
                if (port % 2 == 0 && port < ushort.MaxValue)
                {
                    var rtcp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                    try
                    {
                        rtcp.Bind(new IPEndPoint(address, port + 1));
                        rtp.ReceiveBufferSize = 4 * 1024 * 1024;
                        return new UdpPortPair(rtp, rtcp);
                    }
                    catch (SocketException)
                    {
                        rtcp.Dispose();
                    }
                }
            }
            catch (SocketException)
            {
            }

            rtp.Dispose();
        }

        throw new SocketException((int)SocketError.AddressAlreadyInUse);
    }

    public void Dispose()
    {
        Rtp.Dispose();
        Rtcp.Dispose();
    }
}
