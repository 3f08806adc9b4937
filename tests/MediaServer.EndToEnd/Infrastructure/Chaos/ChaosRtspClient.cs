using System.Net.Sockets;
using System.Text;

namespace MediaServer.EndToEnd.Infrastructure.Chaos;

/// <summary>
/// A bare RTSP client for the hostile tenant: sends what it is told (any Session, any Transport)
/// and returns the status and headers, skipping interleaved frames and bodies.
/// </summary>
internal sealed class ChaosRtspClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly RtspWireReader _wire;
    private readonly int _port;
    private int _cseq;

    private ChaosRtspClient(TcpClient tcp, int port)
    {
        _tcp = tcp;
        _port = port;
        _wire = new RtspWireReader(tcp.GetStream());
    }

    public static async Task<ChaosRtspClient> ConnectAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        return new ChaosRtspClient(tcp, port);
    }

    /// <summary>The Session header of the last answer that had one.</summary>
    public string? LastSession { get; private set; }

    public string Url(string path) => $"rtsp://127.0.0.1:{_port}/{path}";

    /// <summary>Sends one request; the status code and the Session header of the answer (-1 if the server hung up).</summary>
    public async Task<(int Status, string? Session)> RequestAsync(string method, string url, string headers, string? sdp = null)
    {
        var request = new StringBuilder($"{method} {url} RTSP/1.0\r\nCSeq: {++_cseq}\r\n");
        foreach (string line in headers.Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
        {
            request.Append(line).Append("\r\n");
        }

        byte[] body = sdp is null ? [] : Encoding.UTF8.GetBytes(sdp);
        if (sdp is not null)
        {
            request.Append($"Content-Type: application/sdp\r\nContent-Length: {body.Length}\r\n");
        }

        request.Append("\r\n");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            NetworkStream stream = _tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()), timeout.Token);
            await stream.WriteAsync(body, timeout.Token);
            while (await _wire.ReadAsync(timeout.Token))
            {
                if (_wire.Channel < 0)
                {
                    string head = _wire.Head;
                    string? session = RtspWireReader.Header(head, "Session")?.Split(';')[0];
                    LastSession = session ?? LastSession;
                    return (int.Parse(head.AsSpan(9, 3)), session);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
        }

        return (-1, null);
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
