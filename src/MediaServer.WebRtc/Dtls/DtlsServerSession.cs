using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace MediaServer.WebRtc.Dtls;

/// <summary>
/// One WebRTC session's DTLS server: runs the handshake that yields the SRTP keys, then keeps
/// consuming the peer's DTLS records (a retransmitted final flight, alerts) until the session ends.
/// </summary>
/// <remarks>
/// BouncyCastle's handshake blocks, so it runs on a dedicated thread that ends with it (timeout,
/// cancellation or <see cref="Close"/> unblock it). After the handshake no thread waits: each
/// queued datagram schedules a short drain on the thread pool, so thousands of idle sessions hold no threads.
/// </remarks>
public sealed class DtlsServerSession : IDisposable
{
    // How long a post-handshake drain lets BouncyCastle wait; it only runs with a datagram queued.
    private const int DrainWaitMillis = 1;

    private readonly DtlsCertificate _certificate;
    private readonly DtlsFingerprint _remoteFingerprint;
    private readonly TaskCompletionSource<DtlsCloseReason> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _dtlsGate = new();
    private DtlsSrtpServer? _server;
    private DtlsTransport? _dtls;
    private byte[]? _drainBuffer;
    private int _started;
    private int _drainScheduled;
    private volatile bool _localClose;

    /// <param name="certificate">This server's certificate (the one whose fingerprint the answer carries).</param>
    /// <param name="remoteFingerprint">The browser's <c>a=fingerprint</c> from its offer.</param>
    /// <param name="transport">The datagram pipe the UDP socket feeds for this session.</param>
    public DtlsServerSession(DtlsCertificate certificate, DtlsFingerprint remoteFingerprint, DtlsDatagramTransport transport)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(remoteFingerprint);
        ArgumentNullException.ThrowIfNull(transport);
        _certificate = certificate;
        _remoteFingerprint = remoteFingerprint;
        Transport = transport;
    }

    /// <summary>The pipe the UDP receive loop feeds with <see cref="DtlsDatagramTransport.Enqueue"/>.</summary>
    public DtlsDatagramTransport Transport { get; }

    /// <summary>The SRTP keys once the handshake has completed; null before.</summary>
    public DtlsSrtpKeys? Keys { get; private set; }

    /// <summary>Completes once, when the session ends for any reason; the owner tears the WebRTC session down on it.</summary>
    public Task<DtlsCloseReason> Closed => _closed.Task;

    /// <summary>The dedicated handshake thread's work; complete once that thread has been released.</summary>
    internal Task? HandshakeTask { get; private set; }

    /// <summary>
    /// Runs the DTLS server handshake and returns the SRTP keys. Throws
    /// <see cref="DtlsHandshakeException"/> on failure or after <paramref name="timeout"/>, and
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires.
    /// Either way the handshake thread has been released and the transport closed when it throws.
    /// </summary>
    public async Task<DtlsSrtpKeys> AcceptAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("AcceptAsync may be called only once per session.");
        }

        using var timeoutSource = new CancellationTokenSource(timeout);
        using CancellationTokenRegistration onTimeout = timeoutSource.Token.UnsafeRegister(static s => ((DtlsDatagramTransport)s!).Close(), Transport);
        using CancellationTokenRegistration onCancel = cancellationToken.UnsafeRegister(static s => ((DtlsDatagramTransport)s!).Close(), Transport);

        var server = new DtlsSrtpServer(new BcTlsCrypto(), _certificate, _remoteFingerprint, (int)Math.Min(timeout.TotalMilliseconds, int.MaxValue));
        _server = server;
        Task<DtlsTransport> handshake = Task.Factory.StartNew(
            static s => new DtlsServerProtocol().Accept(((DtlsServerSession)s!)._server!, ((DtlsServerSession)s!).Transport),
            this,
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        HandshakeTask = handshake;

        DtlsTransport dtls;
        try
        {
            dtls = await handshake;
        }
        catch (Exception e)
        {
            Transport.Close();
            _closed.TrySetResult(_localClose ? DtlsCloseReason.LocalClose : DtlsCloseReason.HandshakeFailed);
            cancellationToken.ThrowIfCancellationRequested();
            throw Classify(e, server, timeoutSource.IsCancellationRequested, _localClose);
        }

        lock (_dtlsGate)
        {
            _dtls = dtls;
            Keys = server.Keys;
        }

        if (_localClose || Keys is null)
        {
            dtls.Close();
            _closed.TrySetResult(DtlsCloseReason.LocalClose);
            throw new DtlsHandshakeException(DtlsHandshakeFailure.Closed, null, "The DTLS session was closed during the handshake.", null);
        }

        // From here on, datagrams are consumed by thread-pool drains; catch any that arrived meanwhile.
        Transport.DatagramQueued = ScheduleDrain;
        ScheduleDrain();
        return Keys;
    }

    /// <summary>
    /// Ends the session: sends close_notify if the handshake completed, otherwise aborts a running
    /// handshake. Safe to call more than once and from any thread.
    /// </summary>
    public void Close()
    {
        _localClose = true;
        lock (_dtlsGate)
        {
            if (_dtls is not null)
            {
                _dtls.Close();
            }
        }

        Transport.Close();
        _closed.TrySetResult(DtlsCloseReason.LocalClose);
    }

    public void Dispose() => Close();

    private static Exception Classify(Exception e, DtlsSrtpServer server, bool timedOut, bool closed)
    {
        if (server.Failure is DtlsHandshakeFailure failure)
        {
            short? alert = e is TlsFatalAlert fatal ? fatal.AlertDescription : null;
            return new DtlsHandshakeException(failure, alert, $"DTLS handshake failed: {failure}.", e);
        }

        if (closed)
        {
            return new DtlsHandshakeException(DtlsHandshakeFailure.Closed, null, "The DTLS session was closed during the handshake.", e);
        }

        if (timedOut || e is TlsTimeoutException)
        {
            return new DtlsHandshakeException(DtlsHandshakeFailure.Timeout, null, "The DTLS handshake timed out.", e);
        }

        if (e is TlsFatalAlertReceived received)
        {
            return new DtlsHandshakeException(
                DtlsHandshakeFailure.AlertReceived,
                received.AlertDescription,
                $"The peer aborted the DTLS handshake: {AlertDescription.GetText(received.AlertDescription)}.",
                e);
        }

        short? sent = e is TlsFatalAlert raised ? raised.AlertDescription : null;
        string detail = sent is short a ? AlertDescription.GetText(a) : e.Message;
        return new DtlsHandshakeException(DtlsHandshakeFailure.ProtocolError, sent, $"DTLS handshake failed: {detail}.", e);
    }

    private void ScheduleDrain()
    {
        if (Interlocked.Exchange(ref _drainScheduled, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.Drain(), this, preferLocal: false);
        }
    }

    private void Drain()
    {
        lock (_dtlsGate)
        {
            // Cleared before draining, so a datagram that lands mid-drain schedules another pass.
            Volatile.Write(ref _drainScheduled, 0);
            DtlsTransport? dtls = _dtls;
            DtlsSrtpServer? server = _server;
            if (dtls is null || server is null || _closed.Task.IsCompleted)
            {
                return;
            }

            try
            {
                _drainBuffer ??= new byte[Math.Max(1, dtls.GetReceiveLimit())];
                while (Transport.Count > 0 && !server.CloseNotifyReceived)
                {
                    // Application data would be SCTP for data channels, which this server never
                    // negotiates, so what Receive returns is discarded; the point is that
                    // BouncyCastle sees alerts and retransmitted handshake flights.
                    dtls.Receive(_drainBuffer, 0, _drainBuffer.Length, DrainWaitMillis);
                }

                // A datagram may carry several records; those after an application-data record wait in
                // BouncyCastle's own queue and must not sit there until some later datagram arrives.
                while (!server.CloseNotifyReceived && dtls.ReceivePending(_drainBuffer, 0, _drainBuffer.Length) >= 0)
                {
                }
            }
            catch (TlsFatalAlertReceived)
            {
                _closed.TrySetResult(DtlsCloseReason.PeerFatalAlert);
                return;
            }
            catch (IOException)
            {
                // BouncyCastle closes the transport after answering close_notify, and the next read reports it.
                _closed.TrySetResult(server.CloseNotifyReceived ? DtlsCloseReason.PeerCloseNotify
                    : _localClose ? DtlsCloseReason.LocalClose : DtlsCloseReason.Failed);
                return;
            }

            if (server.CloseNotifyReceived)
            {
                _closed.TrySetResult(DtlsCloseReason.PeerCloseNotify);
            }
        }
    }
}
