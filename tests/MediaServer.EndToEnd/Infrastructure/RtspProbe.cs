using System.Net.Sockets;
using System.Text;

namespace MediaServer.EndToEnd.Infrastructure;

/// <summary>A one-request RTSP client: the status of a DESCRIBE, to see whether a path is published.</summary>
internal static class RtspProbe
{
    public static async Task<int> DescribeStatusAsync(int port, string path)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        NetworkStream stream = tcp.GetStream();
        byte[] request = Encoding.ASCII.GetBytes($"DESCRIBE rtsp://127.0.0.1:{port}/{path} RTSP/1.0\r\nCSeq: 1\r\n\r\n");
        await stream.WriteAsync(request);
        byte[] buffer = new byte[64];
        int read = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (read < 12)
        {
            int n = await stream.ReadAsync(buffer.AsMemory(read), timeout.Token);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        string statusLine = Encoding.ASCII.GetString(buffer, 0, read);
        return statusLine.StartsWith("RTSP/1.0 ", StringComparison.Ordinal) ? int.Parse(statusLine.AsSpan(9, 3)) : -1;
    }

    /// <summary>Polls until the path answers DESCRIBE with 200; false if the deadline passed first.</summary>
    public static async Task<bool> WaitUntilPublishedAsync(int port, string path, TimeSpan deadline)
    {
        DateTime until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until)
        {
            if (await DescribeStatusAsync(port, path) == 200)
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}
