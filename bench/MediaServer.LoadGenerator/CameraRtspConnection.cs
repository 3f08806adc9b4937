using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace MediaServer.LoadGenerator;

/// <summary>
/// One client connection to the camera server: reads requests (and skips the interleaved RTCP
/// a client sends back), answers them through <see cref="CameraRtspMethods"/>, and is the one
/// writer of its socket: answers and interleaved media are written under one lock, so an answer
/// never lands inside a frame. A request it cannot read is answered 400 and the connection closed.
/// </summary>
internal sealed class CameraRtspConnection
{
    private const int MaxBufferBytes = CameraRtspRequest.MaxHeaderBytes + CameraRtspRequest.MaxBodyBytes + 4;
    private const int SendTimeoutMilliseconds = 5000;

    private readonly Socket _socket;
    private readonly CameraRtspMethods _methods;
    private readonly Lock _writeLock = new();
    private volatile bool _closed;

    public CameraRtspConnection(CameraRtspServer server, Socket socket)
    {
        _socket = socket;
        _socket.NoDelay = true;
        // A client that stops reading stalls the pacer that sends every camera's frames: give up on it.
        _socket.SendTimeout = SendTimeoutMilliseconds;
        RemoteAddress = ((IPEndPoint)socket.RemoteEndPoint!).Address;
        LocalAddress = ((IPEndPoint)socket.LocalEndPoint!).Address;
        _methods = new CameraRtspMethods(server, this);
    }

    public IPAddress RemoteAddress { get; }

    public IPAddress LocalAddress { get; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[8192];
        int filled = 0;
        try
        {
            while (!_closed)
            {
                int consumed = HandleReceived(buffer.AsSpan(0, filled));
                if (_closed)
                {
                    return;
                }

                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
                if (filled == buffer.Length)
                {
                    // Checked by the parser before: a request or frame this long is allowed.
                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxBufferBytes));
                }

                int received = await _socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken);
                if (received == 0)
                {
                    return;
                }

                filled += received;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            Abort();
        }
    }

    /// <summary>Writes one frame's interleaved burst on <paramref name="channel"/>; called by the pacer.</summary>
    public SendOutcome SendInterleaved(Span<byte> burst, byte channel)
    {
        lock (_writeLock)
        {
            if (_closed)
            {
                return SendOutcome.Ended;
            }

            if (burst[1] != channel)
            {
                for (int offset = 0; offset < burst.Length; offset += 4 + BinaryPrimitives.ReadUInt16BigEndian(burst[(offset + 2)..]))
                {
                    burst[offset + 1] = channel;
                }
            }

            try
            {
                _socket.Send(burst);
                return SendOutcome.Sent;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                return SendOutcome.Failed;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // The client closed or reset the connection (a player that quit right after its
                // TEARDOWN, before this side read it): it ended, it did not fail.
                return SendOutcome.Ended;
            }
        }
    }

    /// <summary>Ends the connection and every session on it.</summary>
    public void Abort()
    {
        lock (_writeLock)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            _methods.CloseAll();
            _socket.Dispose();
        }
    }

    /// <summary>Answers every whole request in <paramref name="data"/>; returns the bytes used.</summary>
    private int HandleReceived(ReadOnlySpan<byte> data)
    {
        int offset = 0;
        while (offset < data.Length && !_closed)
        {
            ReadOnlySpan<byte> rest = data[offset..];
            if (rest[0] == (byte)'$')
            {
                // RTCP (receiver reports) from the client on an interleaved channel: not needed here.
                if (rest.Length < 4 || rest.Length < 4 + BinaryPrimitives.ReadUInt16BigEndian(rest[2..]))
                {
                    break;
                }

                offset += 4 + BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
                continue;
            }

            switch (CameraRtspRequest.TryParse(rest, out CameraRtspRequest? request, out int used, out string? error, out int? cseq))
            {
                case RequestParse.Incomplete:
                    return offset;
                case RequestParse.Bad:
                    Answer(cseq, () => new CameraRtspResponse(400, "Bad Request") { CloseConnection = true }.With("X-Reason", error!));
                    return data.Length;
                default:
                    offset += used;
                    Answer(request!.CSeq, () => _methods.Handle(request));
                    break;
            }
        }

        return offset;
    }

    private void Answer(int? cseq, Func<CameraRtspResponse> handle)
    {
        lock (_writeLock)
        {
            if (_closed)
            {
                return;
            }

            CameraRtspResponse response = handle();
            try
            {
                _socket.Send(response.Encode(cseq));
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                Abort();
                return;
            }

            if (response.CloseConnection)
            {
                Abort();
            }
        }
    }
}
