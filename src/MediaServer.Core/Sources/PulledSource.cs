using MediaServer.Core.Metrics;
using MediaServer.Core.Streams;
using MediaServer.Media.Sdp;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace MediaServer.Core.Sources;

/// <summary>
/// The one connection to one source URL (the <c>pulled_source</c> claim): opens the camera,
/// publishes a fresh stream for every path attached to it, plays until the camera fails, then
/// unpublishes them and retries with backoff, until the last path detaches. Each attempt's
/// streams are new publications, so a reader never gets a frame of an earlier attempt's camera.
/// Its state changes are logged once each: a camera that keeps failing for the same reason is
/// one line, not one per retry.
/// </summary>
internal sealed class PulledSource : IDisposable
{
    /// <summary>What metrics and hooks call a pulled stream's publisher.</summary>
    private const string Protocol = "rtsp-source";

    /// <summary>Played this long, and the camera counts as recovered: the backoff starts over.</summary>
    private static readonly TimeSpan StableAfter = TimeSpan.FromSeconds(10);

    private readonly ISourceConnector _connector;
    private readonly SourceConnectOptions _connect;
    private readonly SourceBackoff _backoff;
    private readonly StreamRegistry _registry;
    private readonly ILogger _logger;
    private readonly string _metricsPath;
    private readonly Counter.Child _bytes;
    private readonly object _lock = new();
    private readonly List<PathSource> _paths = [];
    private readonly CancellationTokenSource _stop = new();
    private SourcePublisher? _publisher;

    // What attempts that have ended read; the current attempt's publisher counts its own. The
    // metric's series may be shared with other sources (a capped path label), so it is not read back.
    private long _bytesOfEndedAttempts;
    private SessionDescription? _description;
    private Task _loop = Task.CompletedTask;
    private bool _stopping;

    private SourceState _state = SourceState.Connecting;
    private string? _transport;
    private string? _lastError;
    private SourceFailureReason? _lastReason;
    private SourceFailureReason? _loggedReason;
    private DateTimeOffset? _nextAttemptAt;
    private DateTimeOffset? _readySince;
    private int _failures;

    public PulledSource(SourceUri uri, ISourceConnector connector, SourceConnectOptions connect, SourceBackoff backoff,
        StreamRegistry registry, string metricsPath, ILogger logger)
    {
        Uri = uri;
        _connector = connector;
        _connect = connect;
        _backoff = backoff;
        _registry = registry;
        _metricsPath = metricsPath;
        _logger = logger;
        _bytes = MetricsRegistry.SourceBytes.WithLabels(metricsPath);
    }

    public SourceUri Uri { get; }

    /// <summary>Ends when the source has stopped for good (its last path detached) and its streams are unpublished.</summary>
    public Task Completion => _loop;

    public void Start()
    {
        // The first reader's request starts an on-demand source; its log scope and anything else
        // in its execution context must not follow the source for the rest of its life.
        using (ExecutionContext.SuppressFlow())
        {
            _loop = Task.Run(RunAsync);
        }
    }

    /// <summary>Adds a path; its stream is published at once when the camera plays already. False when this source is stopping.</summary>
    public bool TryAttach(PathSource path)
    {
        lock (_lock)
        {
            if (_stopping)
            {
                return false;
            }

            _paths.Add(path);
            path.Source = this;
            if (_publisher is not null && _description is not null && TryPublish(path, _description, out MediaStream? stream))
            {
                _publisher.Add(stream);
            }

            return true;
        }
    }

    /// <summary>Removes a path and unpublishes its stream; true when it was the last one and the source is stopping.</summary>
    public bool Detach(PathSource path)
    {
        lock (_lock)
        {
            if (!_paths.Remove(path))
            {
                return false;
            }

            Unpublish(path);
            if (_paths.Count > 0)
            {
                return false;
            }

            _stopping = true;
            _stop.Cancel();
            return true;
        }
    }

    public SourceStatus Status(bool onDemand)
    {
        lock (_lock)
        {
            return new SourceStatus(Uri.Redacted, _state, onDemand, _state == SourceState.Ready ? _transport : null, _lastError,
                _lastReason is { } reason ? SourceLabels.Of(reason) : null, _state == SourceState.Retrying ? _nextAttemptAt : null,
                _state == SourceState.Ready ? _readySince : null, _failures, _bytesOfEndedAttempts + (_publisher?.BytesRead ?? 0));
        }
    }

    private async Task RunAsync()
    {
        CancellationToken stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            SetConnecting();
            long readyAt = 0;
            SourceFailureReason reason;
            string message;
            try
            {
                ISourceConnection connection = await _connector.OpenAsync(Uri, _connect, stop).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    var publisher = new SourcePublisher([], _bytes);
                    PublishAll(connection, publisher);
                    readyAt = Environment.TickCount64;
                    SetReady(connection);
                    await connection.RunAsync(publisher, stop).ConfigureAwait(false);
                }

                reason = SourceFailureReason.Ended;
                message = "the camera ended the stream";
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                UnpublishAll();
                break;
            }
            catch (SourceException e)
            {
                reason = e.Reason;
                message = e.Message;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A bug in a connector must not end the source: it is an attempt that failed.
                _logger.LogError(e, "Source {Url}: the attempt failed unexpectedly", Uri.Redacted);
                reason = SourceFailureReason.Protocol;
                message = e.Message;
            }

            UnpublishAll();
            if (stop.IsCancellationRequested)
            {
                break;
            }

            TimeSpan delay = SetRetrying(reason, message, readyAt);
            try
            {
                await Task.Delay(delay, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        lock (_lock)
        {
            _state = SourceState.Idle;
        }

        Dispose();
        _logger.LogInformation("Source {Url}: stopped (no path pulls it any more)", Uri.Redacted);
    }

    private void PublishAll(ISourceConnection connection, SourcePublisher publisher)
    {
        lock (_lock)
        {
            foreach (PathSource path in _paths)
            {
                if (!TryPublish(path, connection.Description, out MediaStream? stream))
                {
                    throw new SourceException(SourceFailureReason.PublishRefused,
                        $"path {path.Id.Path} could not be published (Streams:MaxPublishers reached)");
                }

                publisher.Add(stream);
            }

            _publisher = publisher;
            _description = connection.Description;
        }
    }

    private bool TryPublish(PathSource path, SessionDescription description, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MediaStream? stream)
    {
        PublishOutcome outcome = _registry.TryPublish(path.Grant, description, out stream, Protocol);
        if (stream is null)
        {
            _logger.LogWarning("Source {Url}: path {Path} could not be published ({Outcome})", Uri.Redacted, path.Id.Path, outcome);
            return false;
        }

        path.OnPublished(stream);
        _registry.Events.Raise(StreamEventKind.Ready, path.Id, "source", Protocol);
        return true;
    }

    private void UnpublishAll()
    {
        lock (_lock)
        {
            _bytesOfEndedAttempts += _publisher?.BytesRead ?? 0;
            _publisher = null;
            _description = null;
            foreach (PathSource path in _paths)
            {
                Unpublish(path);
            }
        }
    }

    private void Unpublish(PathSource path)
    {
        if (path.Stream is { } stream)
        {
            _publisher?.Remove(stream);
            path.OnUnpublished();
            _registry.Unpublish(stream);
            _registry.Events.Raise(StreamEventKind.NotReady, path.Id, "source", Protocol);
        }
    }

    private void SetConnecting()
    {
        lock (_lock)
        {
            bool first = _state == SourceState.Connecting && _failures == 0 && _lastReason is null;
            _state = SourceState.Connecting;
            _nextAttemptAt = null;
            if (first)
            {
                _logger.LogInformation("Source {Url}: connecting for {Paths}", Uri.Redacted, PathNames());
            }
        }
    }

    private void SetReady(ISourceConnection connection)
    {
        MetricsRegistry.SourceConnects.WithLabels(_metricsPath).Inc();
        lock (_lock)
        {
            _state = SourceState.Ready;
            _transport = connection.Transport;
            _readySince = DateTimeOffset.UtcNow;
            _loggedReason = null;
            _logger.LogInformation("Source {Url}: ready over {Transport} with {Tracks} track(s) ({Codecs}) for {Paths}",
                Uri.Redacted, connection.Transport, connection.Description.Media.Count,
                string.Join(", ", connection.Description.Media.Select(m => m.Media)),
                PathNames());
        }
    }

    private TimeSpan SetRetrying(SourceFailureReason reason, string message, long readyAt)
    {
        MetricsRegistry.SourceFailures.WithLabels(_metricsPath, SourceLabels.Of(reason)).Inc();
        lock (_lock)
        {
            bool recovered = readyAt != 0 && Environment.TickCount64 - readyAt >= StableAfter.TotalMilliseconds;
            _failures = recovered ? 1 : _failures + 1;
            TimeSpan delay = _backoff.Delay(_failures);
            _state = SourceState.Retrying;
            _lastError = message;
            _lastReason = reason;
            _nextAttemptAt = DateTimeOffset.UtcNow + delay;
            if (_loggedReason != reason)
            {
                _loggedReason = reason;
                _logger.LogWarning("Source {Url}: {Reason}: {Message}; retrying in {Delay:0.0} s, backing off up to {Max:0} s (further failures for this reason are not logged)",
                    Uri.Redacted, SourceLabels.Of(reason), message, delay.TotalSeconds, _backoff.Max.TotalSeconds);
            }
            else
            {
                _logger.LogDebug("Source {Url}: {Reason} again (attempt {Attempt}); retrying in {Delay:0.0} s",
                    Uri.Redacted, SourceLabels.Of(reason), _failures, delay.TotalSeconds);
            }

            return delay;
        }
    }

    /// <summary>Called by the loop itself once it has stopped: nothing cancels it after that.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _stop.Dispose();
        }
    }

    private string PathNames() => string.Join(", ", _paths.Select(p => p.Id.Path));
}
