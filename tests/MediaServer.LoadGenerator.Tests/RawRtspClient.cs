using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MediaServer.LoadGenerator.Tests;

/// <summary>
/// A test's view of an RTSP connection: writes requests as raw text (so a test can send anything),
/// and reads what comes back one message at a time, answers and interleaved frames as they arrive.
/// Every read has a deadline.
/// </summary>
internal sealed class RawRtspClient : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly Socket _socket;
    private byte[] _buffer = new byte[256 * 1024];
    private int _start;
    private int _end;
    private int _cseq;

    private RawRtspClient(Socket socket) => _socket = socket;

    public static async Task<RawRtspClient> ConnectAsync(IPEndPoint server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server);
        return new RawRtspClient(socket);
    }

    public async Task SendAsync(string text) => await _socket.SendAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None);

    /// <summary>A request with the next CSeq; returns its answer (no media may come first).</summary>
    public async Task<RawRtspResponse> RequestAsync(string method, string uri, string headers = "")
    {
        await SendAsync($"{method} {uri} RTSP/1.0\r\nCSeq: {++_cseq}\r\n{headers}\r\n");
        return Assert.IsType<RawRtspResponse>(await ReadMessageAsync());
    }

    /// <summary>The next answer or interleaved frame; null when the server closed the connection.</summary>
    public async Task<object?> ReadMessageAsync()
    {
        using var timeout = new CancellationTokenSource(Deadline);
        while (true)
        {
            object? message = TryTake();
            if (message is not null)
            {
                return message;
            }

            if (_end == _buffer.Length)
            {
                Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            int received = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, timeout.Token);
            if (received == 0)
            {
                return null;
            }

            _end += received;
        }
    }

    public void Dispose() => _socket.Dispose();

    private object? TryTake()
    {
        ReadOnlySpan<byte> data = _buffer.AsSpan(_start, _end - _start);
        if (data.Length >= 4 && data[0] == (byte)'$')
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
            if (data.Length < 4 + length)
            {
                return null;
            }

            _start += 4 + length;
            return new InterleavedFrame(data[1], data.Slice(4, length).ToArray());
        }

        int headerEnd = data.IndexOf("\r\n\r\n"u8);
        if (headerEnd < 0)
        {
            return null;
        }

        string[] lines = Encoding.ASCII.GetString(data[..headerEnd]).Split("\r\n");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':');
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        int bodyLength = headers.TryGetValue("Content-Length", out string? contentLength) ? int.Parse(contentLength, CultureInfo.InvariantCulture) : 0;
        if (data.Length < headerEnd + 4 + bodyLength)
        {
            return null;
        }

        _start += headerEnd + 4 + bodyLength;
        return new RawRtspResponse(int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture), headers,
            Encoding.UTF8.GetString(data.Slice(headerEnd + 4, bodyLength)));
    }
}
