using System.Net.Sockets;
using System.Text;
using MediaServer.EndToEnd.Infrastructure;

namespace MediaServer.EndToEnd.Operations;

/// <summary>
/// From SIGTERM until the listeners close, /readyz answers 503 "draining": the listeners stay up
/// for the whole drain, and close only once every RTSP connection has ended.
/// </summary>
[Trait("Category", "EndToEnd")]
public class ReadinessDrainTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Readyz_answers_503_from_sigterm_until_the_last_rtsp_connection_has_ended_and_only_then_the_listeners_close()
    {
        await using ServerProcess server = ServerProcess.Start("--Shutdown:GracePeriodSeconds=8");
        await using FfmpegProcess camera = await ProcessCamera.PublishAsync(server, Deadline);
        string url = $"rtsp://127.0.0.1:{server.RtspPort}/cam1";

        // A client that sends requests and never reads the answers: the server's writes to it
        // block, so its connection cannot end politely and holds the drain for the grace period.
        using var stalled = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await stalled.ConnectAsync("127.0.0.1", server.RtspPort);
        long sent = 0;
        _ = Task.Run(async () =>
        {
            try
            {
                for (int cseq = 1; ; cseq++)
                {
                    Interlocked.Add(ref sent, await stalled.SendAsync(Encoding.ASCII.GetBytes($"DESCRIBE {url} RTSP/1.0\r\nCSeq: {cseq}\r\n\r\n")));
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        });
        Assert.True(await SendingStallsAsync(() => Interlocked.Read(ref sent), stalled), "the server kept reading the stalled client's requests");

        server.Terminate();
        var answers = new List<string>();
        int closingsAtFirstFailure = -1;
        while (!server.HasExited)
        {
            string answer = await ProbeReadyzAsync(server.HttpPort);
            if (answers.Count == 0 || answers[^1] != answer)
            {
                answers.Add(answer);
            }

            if (answer == "refused" && closingsAtFirstFailure < 0)
            {
                // The listener is gone: both connections must have ended before it. The output is
                // read asynchronously: wait for the line the drain ends with to have arrived.
                await server.WaitForOutputAsync("Drained", TimeSpan.FromSeconds(5));
                closingsAtFirstFailure = ClosingsSinceSigterm(server.Output);
            }
        }

        Assert.True(await server.WaitForExitAsync(Deadline), server.Output);
        Assert.Equal(0, server.ExitCode);
        string sequence = string.Join(" -> ", answers);

        // A probe sent before the signal was handled may still be 200; after the first 503,
        // readiness never comes back, and the only change left is the listener going away.
        string[] afterSignal = [.. answers.SkipWhile(a => a == "200 ready")];
        Assert.True(afterSignal.Length > 0 && afterSignal[0] == "503 draining", "no 503 draining was seen after SIGTERM: " + sequence);
        Assert.True(afterSignal.Skip(1).All(a => a == "refused"), "readiness after SIGTERM went: " + sequence);
        Assert.True(
            closingsAtFirstFailure < 0 || closingsAtFirstFailure >= 2,
            $"the listener closed while {2 - closingsAtFirstFailure} RTSP connection(s) were still open ({sequence}):\n{server.Output}");
        Assert.Contains("dropping them", server.Output, StringComparison.Ordinal);
    }

    /// <summary>"200 ready", "503 draining", or "refused" once nothing answers on the port.</summary>
    private static async Task<string> ProbeReadyzAsync(int port)
    {
        try
        {
            using var tcp = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await tcp.ConnectAsync("127.0.0.1", port, timeout.Token);
            NetworkStream stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /readyz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"), timeout.Token);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            string response = await reader.ReadToEndAsync(timeout.Token);
            if (response.Split(' ', 3) is not [_, string status, ..])
            {
                // Accepted as the listener was closing, then dropped unanswered: the listener is going away.
                return "refused";
            }

            return $"{status} {response.Split("\r\n\r\n", 2)[^1].Trim()}";
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return "refused";
        }
    }

    private static int ClosingsSinceSigterm(string output) =>
        output[Math.Max(0, output.IndexOf("Shutting down:", StringComparison.Ordinal))..]
            .Split('\n').Count(line => line.Contains("Closing RTSP connection", StringComparison.Ordinal));

    /// <summary>True once the count stops growing: the server no longer reads what the client sends.</summary>
    /// <summary>
    /// True once the client's sending has not moved for 2 s while answers wait unread in its
    /// receive buffer: the server is blocked writing to it, not merely slow to read on a busy machine.
    /// </summary>
    private static async Task<bool> SendingStallsAsync(Func<long> sent, Socket client)
    {
        long last = -1;
        int unchanged = 0;
        for (int i = 0; i < 600 && unchanged < 20; i++)
        {
            await Task.Delay(100);
            long now = sent();
            unchanged = now == last && now > 0 && client.Available > 0 ? unchanged + 1 : 0;
            last = now;
        }

        return unchanged >= 20;
    }
}
