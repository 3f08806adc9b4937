using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace MediaServer.LoadGenerator;

/// <summary>
/// A player pulling one path over RTSP with RTP/AVP/TCP: DESCRIBE, SETUP interleaved, PLAY,
/// then one receive loop that splits the byte stream into interleaved frames. RTP on channel 0
/// is counted and its stamps measured; RTCP and any RTSP message in between are skipped.
/// </summary>
internal sealed class RtspTcpReader : IReader
{
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly byte[] _buffer = new byte[32 * 1024];
    private Task _loop = Task.CompletedTask;
    private long _errors;

    private RtspTcpReader(Socket socket, ReaderCounters counters)
    {
        _socket = socket;
        Counters = counters;
    }

    public ReaderCounters Counters { get; }

    public long Errors => Interlocked.Read(ref _errors);

    public static async Task<RtspTcpReader> ConnectAsync(IPEndPoint server, string path, ReaderCounters counters, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(server, cancellationToken);
            var reader = new RtspTcpReader(socket, counters);
            var control = new RtspControlChannel(socket, new Uri($"rtsp://{server}/"));
            string url = control.Url(path);
            RtspResponse describe = await control.RequestAsync("DESCRIBE", url, cancellationToken, "Accept: application/sdp\r\n");
            RtspResponse setup = await control.RequestAsync("SETUP", SdpControl.SetupUrl(url, describe.Body), cancellationToken,
                "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n");
            await control.RequestAsync("PLAY", url, cancellationToken, $"Session: {setup.Session}\r\nRange: npt=0.000-\r\n");
            ReadOnlyMemory<byte> leftover = control.Leftover;
            leftover.CopyTo(reader._buffer);
            reader._loop = reader.ReceiveAsync(leftover.Length);
            return reader;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void KeepAlive()
    {
        // The generator's server runs with a session timeout longer than any run: nothing to do.
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _loop;
        _stop.Dispose();
    }

    private async Task ReceiveAsync(int filled)
    {
        try
        {
            while (true)
            {
                int consumed = Parse(_buffer.AsSpan(0, filled));
                if (consumed > 0)
                {
                    _buffer.AsSpan(consumed, filled - consumed).CopyTo(_buffer);
                    filled -= consumed;
                }

                int received = await _socket.ReceiveAsync(_buffer.AsMemory(filled), SocketFlags.None, _stop.Token);
                if (received == 0)
                {
                    throw new IOException("The server closed the connection.");
                }

                filled += received;
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

    /// <summary>Handles every whole frame in <paramref name="data"/>; returns the bytes used.</summary>
    private int Parse(ReadOnlySpan<byte> data)
    {
        int offset = 0;
        while (data.Length - offset >= 4)
        {
            ReadOnlySpan<byte> rest = data[offset..];
            if (rest[0] != (byte)'$')
            {
                // An RTSP message between frames: skip to the next frame marker.
                int next = rest.IndexOf((byte)'$');
                if (next < 0)
                {
                    return data.Length;
                }

                offset += next;
                continue;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
            if (rest.Length < 4 + length)
            {
                break;
            }

            if (rest[1] == 0)
            {
                Counters.OnRtp(rest.Slice(4, length));
            }

            offset += 4 + length;
        }

        return offset;
    }
}
