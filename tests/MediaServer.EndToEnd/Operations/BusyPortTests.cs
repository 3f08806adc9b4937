using System.Net;
using System.Net.Sockets;
using MediaServer.EndToEnd.Access;

namespace MediaServer.EndToEnd.Operations;

/// <summary>
/// A port another process holds stops the server at start-up with one line naming the setting and
/// the port, and exit code 2, for every listener: no unhandled exception, no stack trace.
/// </summary>
[Trait("Category", "EndToEnd")]
public class BusyPortTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("Rtsp:Port")]
    [InlineData("Http:Port")]
    [InlineData("Metrics:Port")]
    [InlineData("Rtsp:TlsPort")]
    [InlineData("Http:TlsPort")]
    public async Task A_busy_tcp_port_is_named_by_its_setting_and_exits_2(string setting)
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        int port = ((IPEndPoint)holder.LocalEndpoint).Port;
        using var certificate = new TestCertificate();

        await using ServerProcess server = ServerProcess.Start([.. certificate.Arguments, "--Metrics:Address=127.0.0.1", $"--{setting}={port}"]);

        await AssertOneLineAndExit2Async(server, $"{setting} {port} (TCP 127.0.0.1:{port}) is in use");
    }

    [Theory]
    [InlineData("Rtsp:RtpPort")]
    [InlineData("WebRtc:UdpPort")]
    public async Task A_busy_udp_port_is_named_by_its_setting_and_exits_2(string setting)
    {
        using Socket holder = BindEvenUdpPort();
        int port = ((IPEndPoint)holder.LocalEndPoint!).Port;

        await using ServerProcess server = ServerProcess.Start($"--{setting}={port}");

        await AssertOneLineAndExit2Async(server, $"{setting} {port} (UDP 127.0.0.1:{port}) is in use");
    }

    [Fact]
    public async Task A_busy_rtcp_port_names_the_rtp_port_setting_it_follows()
    {
        int rtp;
        Socket rtcpHolder;
        using (Socket rtpPlaceholder = BindEvenUdpPort())
        {
            // Hold the odd port after a free even one, then free the even one for the server.
            rtp = ((IPEndPoint)rtpPlaceholder.LocalEndPoint!).Port;
            rtcpHolder = BindUdp(rtp + 1) ?? throw new InvalidOperationException($"UDP {rtp + 1} is taken");
        }

        using (rtcpHolder)
        {
            await using ServerProcess server = ServerProcess.Start($"--Rtsp:RtpPort={rtp}");

            await AssertOneLineAndExit2Async(server, $"Rtsp:RtpPort {rtp}: its RTCP port {rtp + 1} (UDP 127.0.0.1:{rtp + 1}) is in use");
        }
    }

    private static async Task AssertOneLineAndExit2Async(ServerProcess server, string expected)
    {
        Assert.True(await server.WaitForExitAsync(Deadline), "the server did not exit: " + server.Output);
        Assert.Equal(2, server.ExitCode);
        string[] lines = server.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Single(lines, line => line.StartsWith(expected, StringComparison.Ordinal));
        Assert.DoesNotContain("Exception", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, line => line.StartsWith("at ", StringComparison.Ordinal));
    }

    private static Socket BindEvenUdpPort()
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            Socket? socket = BindUdp(0);
            if (socket is not null && ((IPEndPoint)socket.LocalEndPoint!).Port % 2 == 0)
            {
                return socket;
            }

            socket?.Dispose();
        }

        throw new InvalidOperationException("no even UDP port found");
    }

    private static Socket? BindUdp(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return socket;
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }
}
