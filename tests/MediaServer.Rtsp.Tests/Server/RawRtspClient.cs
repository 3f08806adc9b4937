using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace MediaServer.Rtsp.Tests.Server;

/// <summary>A deliberately dumb RTSP client over a raw socket, able to send anything at all.</summary>
internal sealed class RawRtspClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[256 * 1024];
    private int _start;
    private int _end;
    private int _cseq;

    private RawRtspClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>
    /// Connects to the server on 127.0.0.1, from another loopback address when one is given (127.0.0.2, ...),
    /// with a socket receive buffer of <paramref name="receiveBufferSize"/> bytes when given (a small
    /// window fills soon when the client stops reading).
    /// </summary>
    public static async Task<RawRtspClient> ConnectAsync(int port, string? fromAddress = null, int? receiveBufferSize = null)
    {
        var tcp = fromAddress is null ? new TcpClient() : new TcpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Parse(fromAddress), 0));
        if (receiveBufferSize is int size)
        {
            tcp.ReceiveBufferSize = size; // before connecting, so the window is negotiated with it
        }

        await tcp.ConnectAsync("127.0.0.1", port);
        return new RawRtspClient(tcp);
    }

    public string? Session { get; set; }

    /// <summary>This client's port, to find the server's end of the connection.</summary>
    public int LocalPort => ((System.Net.IPEndPoint)_tcp.Client.LocalEndPoint!).Port;

    public Task SendRawAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask();

    public Task SendRawAsync(string text) => SendRawAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>Sends a request with the next CSeq (and the session, once known) and reads the answer.</summary>
    public async Task<RtspReply> RequestAsync(string method, string url, string? headers = null, string? body = null, string? contentType = null)
    {
        var text = new StringBuilder();
        text.Append($"{method} {url} RTSP/1.0\r\nCSeq: {++_cseq}\r\n");
        if (Session is not null)
        {
            text.Append($"Session: {Session}\r\n");
        }

        if (headers is not null)
        {
            text.Append(headers.TrimEnd('\r', '\n')).Append("\r\n");
        }

        byte[] bodyBytes = body is null ? [] : Encoding.UTF8.GetBytes(body);
        if (body is not null)
        {
            text.Append($"Content-Type: {contentType ?? "application/sdp"}\r\nContent-Length: {bodyBytes.Length}\r\n");
        }

        text.Append("\r\n");
        await SendRawAsync([.. Encoding.UTF8.GetBytes(text.ToString()), .. bodyBytes]);
        RtspReply reply = await ReadReplyAsync();
        if (reply.Headers.TryGetValue("Session", out string? session))
        {
            Session = session.Split(';')[0];
        }

        return reply;
    }

    public async Task SendInterleavedAsync(byte channel, byte[] payload)
    {
        byte[] frame = new byte[4 + payload.Length];
        frame[0] = (byte)'$';
        frame[1] = channel;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
        payload.CopyTo(frame, 4);
        await SendRawAsync(frame);
    }

    /// <summary>Reads the next response, skipping interleaved frames.</summary>
    public async Task<RtspReply> ReadReplyAsync()
    {
        while (true)
        {
            await FillAsync(1);
            if (_buffer[_start] == '$')
            {
                await ReadFrameAsync();
                continue;
            }

            int headerEnd;
            while ((headerEnd = IndexOf("\r\n\r\n"u8)) < 0)
            {
                await FillAsync(_end - _start + 1);
            }

            string head = Encoding.UTF8.GetString(_buffer, _start, headerEnd - _start);
            _start = headerEnd + 4;
            string[] lines = head.Split("\r\n");
            string[] status = lines[0].Split(' ', 3);
            var headersMap = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (string line in lines.Skip(1))
            {
                int colon = line.IndexOf(':');
                headersMap[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }

            string body = string.Empty;
            if (headersMap.TryGetValue("Content-Length", out string? lengthText) && int.Parse(lengthText) is > 0 and int length)
            {
                await FillAsync(length);
                body = Encoding.UTF8.GetString(_buffer, _start, length);
                _start += length;
            }

            return new RtspReply(int.Parse(status[1]), headersMap, body, head);
        }
    }

    /// <summary>Reads the next interleaved frame (channel, payload), failing on anything else.</summary>
    public async Task<(byte Channel, byte[] Payload)> ReadFrameAsync()
    {
        await FillAsync(4);
        if (_buffer[_start] != '$')
        {
            throw new InvalidDataException("Expected an interleaved frame.");
        }

        byte channel = _buffer[_start + 1];
        int length = BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(_start + 2));
        await FillAsync(4 + length);
        byte[] payload = _buffer.AsSpan(_start + 4, length).ToArray();
        _start += 4 + length;
        return (channel, payload);
    }

    /// <summary>True when the server closed the connection (reads hit end of stream).</summary>
    public async Task<bool> IsClosedByServerAsync(TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            while (true)
            {
                int n = await _stream.ReadAsync(_buffer.AsMemory(0), timeout.Token);
                if (n == 0)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }

    private int IndexOf(ReadOnlySpan<byte> needle)
    {
        int i = _buffer.AsSpan(_start, _end - _start).IndexOf(needle);
        return i < 0 ? -1 : _start + i;
    }

    private async Task FillAsync(int needed)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (_end - _start < needed)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            int n = await _stream.ReadAsync(_buffer.AsMemory(_end), timeout.Token);
            if (n == 0)
            {
                throw new EndOfStreamException("The server closed the connection.");
            }

            _end += n;
        }
    }
}
