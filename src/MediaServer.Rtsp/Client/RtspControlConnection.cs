using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using MediaServer.Core.Sources;
using MediaServer.Rtsp.Protocol;

namespace MediaServer.Rtsp.Client;

/// <summary>
/// The RTSP connection to a camera (TCP, or TLS for rtsps): sends requests with the next CSeq and
/// the Authorization the camera's challenge asks for, and reads their answers, each within the
/// request timeout. While media plays over TCP the ingest loop owns <see cref="Input"/>; requests
/// are then only written (<see cref="SendAsync"/>) and their answers read by that loop.
/// </summary>
internal sealed class RtspControlConnection : IAsyncDisposable
{
    private const string UserAgent = "MediaServer";
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly RtspResponseParser _parser = new(new RtspLimits());
    private readonly TimeSpan _timeout;
    private int _cseq;

    private RtspControlConnection(Socket socket, Stream stream, bool secure, TimeSpan timeout, ClientAuthorization authorization)
    {
        _socket = socket;
        _stream = stream;
        _timeout = timeout;
        Authorization = authorization;
        IsSecure = secure;
        Input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 65536, minimumReadSize: 16384, leaveOpen: true));
        Output = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        LocalAddress = Plain(((IPEndPoint)socket.LocalEndPoint!).Address);
        RemoteAddress = Plain(((IPEndPoint)socket.RemoteEndPoint!).Address);
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    public IPAddress LocalAddress { get; }

    public IPAddress RemoteAddress { get; }

    public bool IsSecure { get; }

    public ClientAuthorization Authorization { get; }

    /// <summary>The session id the camera gave in its first SETUP answer; sent with every later request.</summary>
    public string? SessionId { get; set; }

    public RtspResponseParser Parser => _parser;

    public static async Task<RtspControlConnection> ConnectAsync(SourceUri uri, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            string host = uri.Host.StartsWith('[') ? uri.Host[1..^1] : uri.Host;
            await socket.ConnectAsync(new DnsEndPoint(host, uri.Port), deadline.Token);
            stream = new NetworkStream(socket, ownsSocket: false);
            if (uri.IsSecure)
            {
                // Cameras serve RTSPS with self-signed certificates nobody can validate against a
                // CA, so the certificate is accepted as it is: TLS here gives privacy on the wire,
                // not proof of the camera's identity (the credentials still authenticate us to it).
#pragma warning disable CA5359 // Cameras' certificates are self-signed (see above); refusing them would refuse every camera.
                var tls = new SslStream(stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
#pragma warning restore CA5359
                stream = tls;
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host }, deadline.Token);
            }

            return new RtspControlConnection(socket, stream, uri.IsSecure, timeout, new ClientAuthorization(uri.User, uri.Password));
        }
        catch (Exception e)
        {
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }

            socket.Dispose();
            cancellationToken.ThrowIfCancellationRequested();
            throw e switch
            {
                OperationCanceledException => new SourceException(SourceFailureReason.Timeout, $"connecting to {uri} took longer than {timeout.TotalSeconds:0.#} s"),
                SocketException s => new SourceException(SourceFailureReason.Unreachable, $"cannot connect to {uri}: {s.SocketErrorCode}", e),
                System.Security.Authentication.AuthenticationException => new SourceException(SourceFailureReason.Protocol, $"the TLS handshake with {uri} failed: {e.Message}", e),
                IOException => new SourceException(SourceFailureReason.Unreachable, $"{uri} dropped the connection: {e.Message}", e),
                _ => e,
            };
        }
    }

    /// <summary>
    /// Sends a request and returns its answer (any status). A 401 is answered once with the
    /// camera's challenge; a second 401 is returned as it is, for the caller to fail on.
    /// </summary>
    public async Task<RtspResponse> RequestAsync(string method, string uri, List<(string Name, string Value)> headers, CancellationToken cancellationToken)
    {
        RtspResponse response = await ExchangeAsync(method, uri, headers, cancellationToken);
        if (response.Status != RtspStatusCode.Unauthorized || !Authorization.HasCredentials)
        {
            return response;
        }

        // A camera may challenge again with a fresh (stale) nonce once credentials were accepted before.
        bool stale = Authorization.IsChallenged && AuthenticationChallenge.ReadAll(response.Headers).Exists(c => string.Equals(c["stale"], "true", StringComparison.OrdinalIgnoreCase));
        if (Authorization.IsChallenged && !stale)
        {
            return response;
        }

        if (!Authorization.TryTake(AuthenticationChallenge.ReadAll(response.Headers), out string? error))
        {
            throw new SourceException(SourceFailureReason.Unauthorized, $"{method} {uri}: {error}");
        }

        return await ExchangeAsync(method, uri, headers, cancellationToken);
    }

    /// <summary>Writes a request without waiting for its answer (keep-alives while media plays over TCP).</summary>
    public async Task SendAsync(string method, string uri, List<(string Name, string Value)> headers, CancellationToken cancellationToken)
    {
        await WriteRequestAsync(method, uri, headers, cancellationToken);
    }

    /// <summary>Writes one interleaved frame (an RTCP receiver report), between requests and never inside one.</summary>
    public async ValueTask WriteFrameAsync(byte channel, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            InterleavedFrame.Write(Output, channel, payload.Span);
            await Output.FlushAsync(cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Input.CompleteAsync();
        await Output.CompleteAsync();
        await _stream.DisposeAsync();
        _socket.Dispose();
        _writeLock.Dispose();
    }

    // The dual-mode socket names IPv4 peers as ::ffff:a.b.c.d; UDP sockets bind and compare plain IPv4.
    private static IPAddress Plain(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private async Task<RtspResponse> ExchangeAsync(string method, string uri, List<(string Name, string Value)> headers, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        try
        {
            int cseq = await WriteRequestAsync(method, uri, headers, deadline.Token);
            return await ReadResponseAsync(method, cseq, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SourceException(SourceFailureReason.Timeout, $"{method} {uri}: no answer within {_timeout.TotalSeconds:0.#} s");
        }
        catch (IOException e)
        {
            throw new SourceException(SourceFailureReason.Unreachable, $"{method} {uri}: the camera dropped the connection ({e.Message})", e);
        }
    }

    private async Task<int> WriteRequestAsync(string method, string uri, List<(string Name, string Value)> headers, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            int cseq = ++_cseq;
            var all = new List<(string Name, string Value)>(headers.Count + 3);
            all.AddRange(headers);
            if (Authorization.For(method, uri) is { } authorization)
            {
                all.Add((RtspHeaderNames.Authorization, authorization));
            }

            if (SessionId is not null && !all.Exists(h => h.Name == RtspHeaderNames.Session))
            {
                all.Add((RtspHeaderNames.Session, SessionId));
            }

            all.Add((RtspHeaderNames.UserAgent, UserAgent));
            RtspRequestWriter.Write(Output, method, uri, cseq, all);
            await Output.FlushAsync(cancellationToken);
            return cseq;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task<RtspResponse> ReadResponseAsync(string method, int cseq, CancellationToken cancellationToken)
    {
        var response = new RtspResponse();
        while (true)
        {
            ReadResult result = await Input.ReadAsync(cancellationToken);
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (TryTakeResponse(ref buffer, method, cseq, response))
            {
                // What follows (media after the PLAY answer) is left for the next read, unexamined.
                Input.AdvanceTo(buffer.Start);
                return response;
            }

            Input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new SourceException(SourceFailureReason.Unreachable, $"{method}: the camera closed the connection before answering");
            }
        }
    }

    private bool TryTakeResponse(ref ReadOnlySequence<byte> buffer, string method, int cseq, RtspResponse response)
    {
        while (!buffer.IsEmpty)
        {
            // Media a camera sends ahead of its PLAY answer is dropped: nothing plays yet.
            InterleavedReadStatus frame = InterleavedFrame.TryRead(ref buffer, out _, out _);
            if (frame == InterleavedReadStatus.Complete)
            {
                continue;
            }

            if (frame == InterleavedReadStatus.Incomplete)
            {
                return false;
            }

            RtspParseStatus status = _parser.TryParse(ref buffer, response, out string? error);
            if (status == RtspParseStatus.Rejected)
            {
                throw new SourceException(SourceFailureReason.Protocol, $"{method}: the camera's answer is malformed: {error}");
            }

            if (status == RtspParseStatus.Incomplete)
            {
                return false;
            }

            // An answer to an earlier request (a keep-alive) is not this one's.
            if (response.CSeq == cseq || response.CSeq < 0)
            {
                return true;
            }
        }

        return false;
    }
}
