using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MediaServer.Rtsp.Protocol;

namespace MediaServer.Rtsp.Tests.Client;

/// <summary>A request the scripted camera received, as it arrived.</summary>
internal sealed record CameraRequest(int Connection, string Method, string Uri, int CSeq, IReadOnlyDictionary<string, string> Headers)
{
    public string? this[string name] => Headers.TryGetValue(name, out string? value) ? value : null;
}

/// <summary>
/// A camera whose answers the test scripts: a TcpListener on 127.0.0.1 that parses each request
/// with the server's own parser, records it, and writes what the script returns (null: no answer).
/// Records the interleaved frames the client sends (receiver reports), and lets the test send
/// frames or close a connection.
/// </summary>
internal sealed class ScriptedCamera : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<CameraRequest, CameraConnection, string?> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<CameraConnection> _connections = [];
    private readonly Task _accepting;
    private int _connectionCount;

    private readonly X509Certificate2? _certificate;

    private ScriptedCamera(Func<CameraRequest, CameraConnection, string?> script, X509Certificate2? certificate, IPAddress address)
    {
        _script = script;
        _certificate = certificate;
        Address = address;
        _listener = new TcpListener(address, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IPAddress Address { get; }

    public string Url => $"rtsp://{Address}:{Port}/cam";

    public ConcurrentQueue<CameraRequest> Requests { get; } = new();

    /// <summary>Interleaved frames the client sent: (connection, channel, payload).</summary>
    public ConcurrentQueue<(int Connection, byte Channel, byte[] Payload)> Frames { get; } = new();

    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    public IEnumerable<CameraConnection> Connections => _connections;

    /// <param name="certificate">Serve RTSPS (RTSP over TLS) with it; plain RTSP when null.</param>
    /// <param name="address">A loopback address to listen on; 127.0.0.1 when null.</param>
    public static ScriptedCamera Start(Func<CameraRequest, CameraConnection, string?> script, X509Certificate2? certificate = null, IPAddress? address = null) =>
        new(script, certificate, address ?? IPAddress.Loopback);

    public CameraRequest[] RequestsOf(string method) => [.. Requests.Where(r => r.Method == method)];

    /// <summary>An answer with the request's CSeq: "RTSP/1.0 code reason", the headers, Content-Length for a body.</summary>
    public static string Answer(CameraRequest request, int status, string reason, IEnumerable<string>? headers = null, string? body = null)
    {
        var text = new StringBuilder();
        text.Append($"RTSP/1.0 {status} {reason}\r\nCSeq: {request.CSeq}\r\n");
        foreach (string header in headers ?? [])
        {
            text.Append(header).Append("\r\n");
        }

        if (body is not null)
        {
            text.Append($"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n");
        }

        text.Append("\r\n").Append(body);
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (CameraConnection connection in _connections)
        {
            connection.Dispose();
        }

        await Task.WhenAny(_accepting);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Stream stream = new NetworkStream(socket, ownsSocket: false);
            if (_certificate is not null)
            {
                var tls = new SslStream(stream);
                try
                {
                    await tls.AuthenticateAsServerAsync(_certificate);
                }
                catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
                {
                    socket.Dispose();
                    continue;
                }

                stream = tls;
            }

            var connection = new CameraConnection(Interlocked.Increment(ref _connectionCount), socket, stream);
            _connections.Add(connection);
            _ = ServeAsync(connection);
        }
    }

    private async Task ServeAsync(CameraConnection connection)
    {
        var parser = new RtspRequestParser(new RtspLimits());
        var request = new RtspRequest();
        byte[] receive = new byte[65536];
        var pending = new ArrayBufferWriter<byte>();
        try
        {
            while (true)
            {
                int read = await connection.Stream.ReadAsync(receive, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                pending.Write(receive.AsSpan(0, read));
                var buffer = new ReadOnlySequence<byte>(pending.WrittenMemory);
                while (!buffer.IsEmpty)
                {
                    InterleavedReadStatus frame = InterleavedFrame.TryRead(ref buffer, out byte channel, out ReadOnlySequence<byte> payload);
                    if (frame == InterleavedReadStatus.Complete)
                    {
                        Frames.Enqueue((connection.Number, channel, payload.ToArray()));
                        continue;
                    }

                    if (frame == InterleavedReadStatus.Incomplete)
                    {
                        break;
                    }

                    RtspParseStatus status = parser.TryParseRequest(ref buffer, request, out _);
                    if (status != RtspParseStatus.Complete)
                    {
                        break;
                    }

                    var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    foreach ((string name, string value) in request.Headers)
                    {
                        headers.TryAdd(name, value);
                    }

                    var recorded = new CameraRequest(connection.Number, request.MethodName, request.Uri, request.CSeq, headers);
                    request.Reset();
                    if (_script(recorded, connection) is { } answer)
                    {
                        await connection.SendAsync(Encoding.UTF8.GetBytes(answer));
                    }

                    // Recorded once answered: a test that sees PLAY here may send media behind its answer.
                    Requests.Enqueue(recorded);
                }

                byte[] rest = buffer.ToArray();
                pending.Clear();
                pending.Write(rest);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
        }
    }
}

/// <summary>One client connection to the scripted camera.</summary>
internal sealed class CameraConnection(int number, Socket socket, Stream stream) : IDisposable
{
    private readonly SemaphoreSlim _send = new(1, 1);

    public int Number { get; } = number;

    public Socket Socket { get; } = socket;

    /// <summary>The connection's bytes: the socket's, or TLS over it.</summary>
    public Stream Stream { get; } = stream;

    public async Task SendAsync(byte[] bytes)
    {
        await _send.WaitAsync();
        try
        {
            await Stream.WriteAsync(bytes);
            await Stream.FlushAsync();
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>One interleaved frame: '$', channel, length, payload.</summary>
    public Task SendFrameAsync(byte channel, byte[] payload)
    {
        byte[] frame = new byte[4 + payload.Length];
        frame[0] = (byte)'$';
        frame[1] = channel;
        frame[2] = (byte)(payload.Length >> 8);
        frame[3] = (byte)payload.Length;
        payload.CopyTo(frame, 4);
        return SendAsync(frame);
    }

    public void Close()
    {
        try
        {
            Socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        Stream.Dispose();
        Socket.Dispose();
    }

    public void Dispose()
    {
        Close();
        _send.Dispose();
    }
}
