using System.Security.Cryptography;
using MediaServer.Core.Sources;
using MediaServer.Media.Sdp;
using Microsoft.Extensions.Logging;

namespace MediaServer.Rtsp.Client;

/// <summary>
/// An opened RTSP camera: plays it and publishes its packets until it ends or fails. With the
/// automatic transport, a camera whose UDP never arrives (a NAT or firewall in the way) is torn
/// down and opened again over TCP within the same run, unseen by the caller.
/// </summary>
internal sealed class RtspSourceConnection : ISourceConnection
{
    private readonly SourceUri _uri;
    private readonly SourceConnectOptions _options;
    private readonly ILogger _logger;
    private readonly uint _reporterSsrc = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));
    private readonly byte[] _report = new byte[512];
    private RtspClientSession _session;
    private long _nextReport;

    public RtspSourceConnection(SourceUri uri, SourceConnectOptions options, RtspClientSession session, ILogger logger)
    {
        _uri = uri;
        _options = options;
        _session = session;
        _logger = logger;
        Description = session.Camera.Description;
    }

    public SessionDescription Description { get; }

    public string Transport => _session.TransportName;

    public async Task RunAsync(SourcePublisher publisher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        while (true)
        {
            await _session.PlayAsync(cancellationToken);
            _logger.LogDebug("Playing {Source} over {Transport}", _uri, _session.TransportName);
            if (!_session.IsUdp)
            {
                await RunInterleavedAsync(publisher, cancellationToken);
                return;
            }

            if (await RunUdpAsync(publisher, cancellationToken) != UdpIngest.Outcome.NoUdpArrived)
            {
                return;
            }

            _logger.LogDebug("No UDP from {Source} within {Seconds} s; setting it up again over TCP", _uri, _options.UdpFallbackAfter.TotalSeconds);
            try
            {
                await _session.SwitchToTcpAsync(cancellationToken);
                continue;
            }
            catch (SourceException e)
            {
                // A camera that closes its connection on TEARDOWN, or will not set up again on it.
                _logger.LogDebug("{Source} did not set up over TCP on the same connection ({Reason}); opening it again", _uri, e.Message);
            }

            await _session.DisposeAsync();
            RtspClientSession tcp = await RtspClientSession.OpenAsync(_uri, _options, udp: false, _logger, cancellationToken);
            if (tcp.Camera.Description.Media.Count != Description.Media.Count)
            {
                await tcp.DisposeAsync();
                throw new SourceException(SourceFailureReason.Protocol, "the camera described other tracks when opened again over TCP");
            }

            _session = tcp;
        }
    }

    public ValueTask DisposeAsync() => _session.DisposeAsync();

    private async Task RunInterleavedAsync(SourcePublisher publisher, CancellationToken cancellationToken)
    {
        RtspClientSession session = _session;
        var ingest = new InterleavedIngest(session.Control.Input, session.Tracks, publisher, session.Control.Parser, session.OnAnswerWhilePlaying);
        long playedAt = Environment.TickCount64;
        long readTimeout = (long)_options.ReadTimeout.TotalMilliseconds;
        bool IsStalled() => Environment.TickCount64 - Math.Max(playedAt, ingest.LastMediaAt) >= readTimeout;
        TimeSpan period = TimeSpan.FromMilliseconds(Math.Clamp(readTimeout / 4, 10, 1000));
        await using var watchdog = new Timer(_ =>
        {
            if (IsStalled())
            {
                session.Control.Input.CancelPendingRead();
            }
        }, null, period, period);
        _nextReport = Environment.TickCount64 + (long)_options.ReceiverReportInterval.TotalMilliseconds;
        await ingest.RunAsync(IsStalled, () => SendReportsIfDueAsync(session, cancellationToken), cancellationToken);
    }

    private Task SendReportsIfDueAsync(RtspClientSession session, CancellationToken cancellationToken)
    {
        long now = Environment.TickCount64;
        if (now < _nextReport)
        {
            return Task.CompletedTask;
        }

        _nextReport = now + (long)_options.ReceiverReportInterval.TotalMilliseconds;
        return SendReportsAsync(session, cancellationToken);
    }

    private async Task SendReportsAsync(RtspClientSession session, CancellationToken cancellationToken)
    {
        foreach (PulledTrack track in session.Tracks)
        {
            int length = track.WriteReceiverReport(_report, _reporterSsrc);
            if (length > 0)
            {
                await session.Control.WriteFrameAsync((byte)track.Channels.Rtcp, _report.AsMemory(0, length), cancellationToken);
            }
        }
    }

    private async Task<UdpIngest.Outcome> RunUdpAsync(SourcePublisher publisher, CancellationToken cancellationToken)
    {
        RtspClientSession session = _session;
        var ingest = new UdpIngest(session.Tracks, session.Control.RemoteAddress, publisher, _options,
            mayFallBack: _options.Transport == SourceTransport.Automatic, _reporterSsrc);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task watch = session.WatchControlAsync(stop.Token);
        try
        {
            Task first = await Task.WhenAny(ingest.Completion, watch, Task.Delay(Timeout.Infinite, stop.Token));
            cancellationToken.ThrowIfCancellationRequested();
            if (first == watch)
            {
                await watch; // throws why the connection ended
            }

            UdpIngest.Outcome outcome = await ingest.Completion;
            return outcome switch
            {
                UdpIngest.Outcome.Goodbye => throw new SourceException(SourceFailureReason.Ended, "the camera ended the stream (RTCP BYE)"),
                UdpIngest.Outcome.NoMedia => throw new SourceException(SourceFailureReason.NoMedia, "no media from the camera within the read timeout"),
                _ => outcome,
            };
        }
        finally
        {
            ingest.Stop();
            await stop.CancelAsync();
            await Task.WhenAny(watch);
            await Task.WhenAny(ingest.Completion);
        }
    }
}
