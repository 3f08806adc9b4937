using System.Net;
using System.Net.Sockets;

namespace MediaServer.LoadGenerator;

/// <summary>
/// A player pulling one path over RTSP with RTP/AVP over UDP: the RTSP connection stays open for
/// control, RTP arrives on its own even port and RTCP on the next one.
/// </summary>
internal sealed class RtspUdpReader : IReader
{
    private readonly Socket _control;
    private readonly Socket _rtp;
    private readonly Socket _rtcp;
    private readonly CancellationTokenSource _stop = new();
    private Task _rtpLoop = Task.CompletedTask;
    private Task _rtcpLoop = Task.CompletedTask;
    private long _errors;

    private RtspUdpReader(Socket control, Socket rtp, Socket rtcp, ReaderCounters counters)
    {
        _control = control;
        _rtp = rtp;
        _rtcp = rtcp;
        Counters = counters;
    }

    public ReaderCounters Counters { get; }

    public long Errors => Interlocked.Read(ref _errors);

    public static async Task<RtspUdpReader> ConnectAsync(IPEndPoint server, string path, ReaderCounters counters, CancellationToken cancellationToken)
    {
        (Socket rtp, Socket rtcp) = BindPair();
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var reader = new RtspUdpReader(socket, rtp, rtcp, counters);
        try
        {
            await socket.ConnectAsync(server, cancellationToken);
            var control = new RtspControlChannel(socket, new Uri($"rtsp://{server}/"));
            string url = control.Url(path);
            RtspResponse describe = await control.RequestAsync("DESCRIBE", url, cancellationToken, "Accept: application/sdp\r\n");
            int rtpPort = ((IPEndPoint)rtp.LocalEndPoint!).Port;
            RtspResponse setup = await control.RequestAsync("SETUP", SdpControl.SetupUrl(url, describe.Body), cancellationToken,
                $"Transport: RTP/AVP;unicast;client_port={rtpPort}-{rtpPort + 1}\r\n");
            reader._rtpLoop = reader.ReceiveAsync(reader._rtp, count: true);
            reader._rtcpLoop = reader.ReceiveAsync(reader._rtcp, count: false);
            await control.RequestAsync("PLAY", url, cancellationToken, $"Session: {setup.Session}\r\nRange: npt=0.000-\r\n");
            return reader;
        }
        catch
        {
            await reader.DisposeAsync();
            throw;
        }
    }

    public void KeepAlive()
    {
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _control.Dispose();
        _rtp.Dispose();
        _rtcp.Dispose();
        await Task.WhenAll(_rtpLoop, _rtcpLoop);
        _stop.Dispose();
    }

    private async Task ReceiveAsync(Socket socket, bool count)
    {
        byte[] buffer = new byte[2048];
        try
        {
            while (true)
            {
                int received = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (count)
                {
                    Counters.OnRtp(buffer.AsSpan(0, received));
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception)
        {
            Interlocked.Increment(ref _errors);
        }
    }

    private static (Socket Rtp, Socket Rtcp) BindPair()
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            Socket rtp = Bind(0);
            int port = ((IPEndPoint)rtp.LocalEndPoint!).Port;
            if (port % 2 == 0 && port < 65535)
            {
                try
                {
                    return (rtp, Bind(port + 1));
                }
                catch (SocketException)
                {
                }
            }

            rtp.Dispose();
        }

        throw new InvalidOperationException("No free even/odd UDP port pair on 127.0.0.1.");
    }

    private static Socket Bind(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.ReceiveBufferSize = 1024 * 1024;
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
