using System.Net.Sockets;
using System.Text;

namespace MediaServer.LoadGenerator;

/// <summary>
/// The request/response half of an RTSP connection: writes a request, reads the matching
/// response (headers and body). Bytes that arrive after the response (interleaved media once
/// PLAY succeeds) stay buffered for whoever reads the connection next.
/// </summary>
internal sealed class RtspControlChannel
{
    private readonly Socket _socket;
    private readonly Uri _baseUri;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;
    private int _cseq;

    public RtspControlChannel(Socket socket, Uri baseUri)
    {
        _socket = socket;
        _baseUri = baseUri;
    }

    /// <summary>Bytes received past the last response.</summary>
    public ReadOnlyMemory<byte> Leftover => _buffer.AsMemory(_start, _end - _start);

    public async Task<RtspResponse> RequestAsync(string method, string uri, CancellationToken cancellationToken,
        string? headers = null, string? body = null)
    {
        var request = new StringBuilder()
            .Append(method).Append(' ').Append(uri).Append(" RTSP/1.0\r\n")
            .Append("CSeq: ").Append(++_cseq).Append("\r\n")
            .Append("User-Agent: MediaServer.LoadGenerator\r\n")
            .Append(headers ?? string.Empty);
        byte[] content = body is null ? [] : Encoding.UTF8.GetBytes(body);
        if (content.Length > 0)
        {
            request.Append("Content-Length: ").Append(content.Length).Append("\r\n");
        }

        request.Append("\r\n");
        byte[] head = Encoding.UTF8.GetBytes(request.ToString());
        await _socket.SendAsync(head.Concat(content).ToArray(), SocketFlags.None, cancellationToken);
        RtspResponse response = await ReadResponseAsync(cancellationToken);
        if (response.Status != 200)
        {
            throw new InvalidOperationException($"{method} {uri} got RTSP {response.Status}.");
        }

        return response;
    }

    public string Url(string path) => new Uri(_baseUri, path).ToString();

    private async Task<RtspResponse> ReadResponseAsync(CancellationToken cancellationToken)
    {
        int headerEnd;
        while ((headerEnd = IndexOfHeaderEnd()) < 0)
        {
            await FillAsync(cancellationToken);
        }

        string head = Encoding.ASCII.GetString(_buffer, _start, headerEnd - _start);
        string[] lines = head.Split("\r\n");
        string[] statusLine = lines[0].Split(' ', 3);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':');
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        _start = headerEnd + 4;
        int bodyLength = headers.TryGetValue("Content-Length", out string? length) ? int.Parse(length) : 0;
        while (_end - _start < bodyLength)
        {
            await FillAsync(cancellationToken);
        }

        string body = Encoding.UTF8.GetString(_buffer, _start, bodyLength);
        _start += bodyLength;
        return new RtspResponse(int.Parse(statusLine[1]), headers, body);
    }

    private int IndexOfHeaderEnd()
    {
        int index = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8);
        return index < 0 ? -1 : _start + index;
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        if (_end == _buffer.Length)
        {
            if (_start > 0)
            {
                Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            else
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
        }

        int received = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken);
        if (received == 0)
        {
            throw new IOException("The server closed the RTSP connection.");
        }

        _end += received;
    }
}
