using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MediaServer.EndToEnd.Infrastructure;

/// <summary>A one-request RTSP client: the status of a DESCRIBE, to see whether a path is published.</summary>
internal static class RtspProbe
{
    /// <summary>The status code of DESCRIBE for the path (200, 404, ...), or -1 if the answer is not RTSP.</summary>
    public static async Task<int> DescribeStatusAsync(int port, string path, string? authorization = null) =>
        (await RequestAsync(port, "DESCRIBE", path, authorization)).Status;

    /// <summary>
    /// One request on a connection of its own: the status code of the answer (-1 if it is not
    /// RTSP) and the client's end point, as the server sees it. <paramref name="headers"/> are
    /// whole header lines, without the final CRLF.
    /// </summary>
    public static async Task<(int Status, string Client)> RequestAsync(int port, string method, string path, string? headers = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port, timeout.Token);
        NetworkStream stream = tcp.GetStream();
        string extra = headers is null ? string.Empty : headers + "\r\n";
        byte[] request = Encoding.ASCII.GetBytes($"{method} rtsp://127.0.0.1:{port}/{path} RTSP/1.0\r\nCSeq: 1\r\n{extra}\r\n");
        await stream.WriteAsync(request, timeout.Token);
        byte[] buffer = new byte[64];
        int read = 0;
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
        int status = statusLine.StartsWith("RTSP/1.0 ", StringComparison.Ordinal) && read >= 12 ? int.Parse(statusLine.AsSpan(9, 3)) : -1;
        var local = (IPEndPoint)tcp.Client.LocalEndPoint!;
        return (status, new IPEndPoint(local.Address.MapToIPv4(), local.Port).ToString());
    }

    /// <summary>
    /// Polls until the path answers DESCRIBE with 200; false if the deadline passed or
    /// <paramref name="giveUp"/> (e.g. "the publisher exited") became true first.
    /// </summary>
    public static async Task<bool> WaitUntilPublishedAsync(int port, string path, TimeSpan deadline, Func<bool>? giveUp = null, string? authorization = null)
    {
        DateTime until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until && giveUp?.Invoke() != true)
        {
            if (await DescribeStatusAsync(port, path, authorization) == 200)
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}
