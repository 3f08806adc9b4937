using System.Text;

namespace MediaServer.EndToEnd.Infrastructure.Chaos;

/// <summary>
/// Reads what an RTSP connection carries, one item at a time: an interleaved binary frame
/// (<c>$</c>, channel, length, data) or a text message (start line, headers, optional body by
/// Content-Length). Test code only: bounded sizes, and the returned data is valid until the next read.
/// </summary>
internal sealed class RtspWireReader(Stream stream)
{
    private const int MaxHead = 16 * 1024;

    private readonly byte[] _buffer = new byte[256 * 1024];
    private int _start;
    private int _end;

    /// <summary>The interleaved channel of the last item, or -1 when it was a text message.</summary>
    public int Channel { get; private set; }

    /// <summary>The last interleaved frame's data, or the last message's body.</summary>
    public ReadOnlyMemory<byte> Data { get; private set; }

    /// <summary>The last text message's start line and headers, without the blank line.</summary>
    public string Head { get; private set; } = "";

    /// <summary>False at end of stream.</summary>
    public async Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (!await FillAsync(1, cancellationToken))
        {
            return false;
        }

        if (_buffer[_start] == (byte)'$')
        {
            if (!await FillAsync(4, cancellationToken))
            {
                return false;
            }

            int length = (_buffer[_start + 2] << 8) | _buffer[_start + 3];
            if (!await FillAsync(4 + length, cancellationToken))
            {
                return false;
            }

            Channel = _buffer[_start + 1];
            Data = _buffer.AsMemory(_start + 4, length);
            Head = "";
            _start += 4 + length;
            return true;
        }

        int headEnd;
        while ((headEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (_end - _start > MaxHead || !await FillAsync(_end - _start + 1, cancellationToken))
            {
                return false;
            }
        }

        Head = Encoding.ASCII.GetString(_buffer, _start, headEnd);
        int bodyLength = int.TryParse(Header(Head, "Content-Length"), out int n) ? n : 0;
        if (!await FillAsync(headEnd + 4 + bodyLength, cancellationToken))
        {
            return false;
        }

        Channel = -1;
        Data = _buffer.AsMemory(_start + headEnd + 4, bodyLength);
        _start += headEnd + 4 + bodyLength;
        return true;
    }

    /// <summary>A header's value from a message head, or null.</summary>
    public static string? Header(string head, string name)
    {
        foreach (string line in head.Split("\r\n"))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    /// <summary>Makes sure <paramref name="count"/> unread bytes are buffered; false at end of stream.</summary>
    private async Task<bool> FillAsync(int count, CancellationToken cancellationToken)
    {
        if (count > _buffer.Length)
        {
            return false;
        }

        if (_start + count > _buffer.Length)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        while (_end - _start < count)
        {
            int read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (read == 0)
            {
                return false;
            }

            _end += read;
        }

        return true;
    }
}
