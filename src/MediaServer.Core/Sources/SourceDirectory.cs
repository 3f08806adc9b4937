using System.Diagnostics;
using MediaServer.Core.Access;
using MediaServer.Core.Attribution;
using MediaServer.Core.Metrics;
using MediaServer.Core.Streams;
using Microsoft.Extensions.Logging;

namespace MediaServer.Core.Sources;

/// <summary>
/// Every path that pulls a camera, and the one connection per source URL that feeds them. Starts
/// the always-on sources, starts on-demand ones for their first reader (the registry's
/// <see cref="IStreamActivator"/>) and closes them <c>SourceOnDemandCloseAfterSeconds</c> after
/// their last reader; follows configuration reloads. A source URL is claimed in the
/// <c>pulled_source</c> map by its full identity (<see cref="SourceUri.Key"/>): two paths share a
/// connection only when their URLs are identical, user, password, port and query included.
/// Control plane only: nothing here runs per packet.
/// </summary>
public sealed class SourceDirectory : IStreamActivator, IAsyncDisposable
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(200);

    private readonly StreamRegistry _registry;
    private readonly StreamAuthorizer _authorizer;
    private readonly ISourceConnector[] _connectors;
    private readonly PathLabels _pathLabels;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly object _lock = new();
    private readonly Dictionary<StreamId, PathSource> _paths = [];
    private readonly ClaimTable<string, PulledSource> _sources;
    private readonly CancellationTokenSource _stop = new();
    private readonly SourceOptions _options;
    private Task _sweep = Task.CompletedTask;

    public SourceDirectory(StreamRegistry registry, StreamAuthorizer authorizer, IEnumerable<ISourceConnector> connectors,
        SourceOptions options, PathLabels pathLabels, ILoggerFactory loggerFactory)
    {
        _registry = registry;
        _authorizer = authorizer;
        _connectors = [.. connectors];
        _options = options;
        _pathLabels = pathLabels;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<SourceDirectory>();
        _sources = new ClaimTable<string, PulledSource>(AttributionMap.PulledSource, _logger, StringComparer.Ordinal,
            key => SourceUri.TryParse(key, out SourceUri? uri, out _) ? uri.Redacted : "?");
    }

    /// <summary>Starts the always-on sources and the idle sweep.</summary>
    public void Start()
    {
        Reconcile();
        _sweep = Task.Run(SweepAsync);
    }

    /// <summary>
    /// After a reload: paths whose source changed or went away are detached (their streams
    /// unpublished, their connections closed when no other path shares them), and always-on
    /// sources that are new are started.
    /// </summary>
    public void Reconcile()
    {
        lock (_lock)
        {
            foreach (PathSource path in _paths.Values.ToArray())
            {
                PathRule? rule = _authorizer.Find(path.Id);
                string? url = rule?.ResolveSource(path.Id);
                bool same = rule?.Source is { } settings && url is not null && SourceUri.TryParse(url, out SourceUri? uri, out _)
                    && uri.Equals(path.Uri) && settings.OnDemand == path.Settings.OnDemand && settings.Transport == path.Settings.Transport;
                if (!same)
                {
                    _logger.LogInformation("Path {Path}: its source changed in the configuration; the old one is closed", path.Id.Path);
                    Detach(path);
                }
            }

            foreach ((StreamId id, PathRule rule) in LiteralPulledPaths())
            {
                if (!rule.Source!.OnDemand && !_paths.ContainsKey(id))
                {
                    GetOrAttach(id, rule);
                }
            }
        }
    }

    public async ValueTask<MediaStream?> ActivateAsync(StreamId id, CancellationToken cancellationToken)
    {
        PathRule? rule = _authorizer.Find(id);
        if (rule?.Source is not { } settings)
        {
            return null;
        }

        PathSource? path;
        lock (_lock)
        {
            path = GetOrAttach(id, rule);
        }

        if (path is null)
        {
            return null;
        }

        path.MarkWanted();
        if (path.Stream is { IsClosed: false } playing)
        {
            return playing;
        }

        // An always-on source that is not playing has nothing to offer now, as a path nobody publishes.
        if (!settings.OnDemand)
        {
            return null;
        }

        long started = Stopwatch.GetTimestamp();
        MediaStream? stream = await path.WaitReadyAsync(settings.StartTimeout, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            _logger.LogWarning("Path {Path}: its source {Url} did not start within SourceOnDemandStartTimeoutSeconds ({Timeout:0.#} s)",
                id.Path, path.Uri.Redacted, settings.StartTimeout.TotalSeconds);
        }
        else
        {
            _logger.LogInformation("Path {Path}: its on-demand source was ready for the reader in {Elapsed:0} ms",
                id.Path, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return stream;
    }

    /// <summary>The pulled paths and their sources' states, for the API (configured on-demand paths nobody reads show as idle).</summary>
    public IReadOnlyList<(string Path, SourceStatus Status)> Snapshot()
    {
        var result = new List<(string, SourceStatus)>();
        lock (_lock)
        {
            foreach (PathSource path in _paths.Values)
            {
                if (path.Source is { } source)
                {
                    result.Add((path.Id.Path, source.Status(path.Settings.OnDemand)));
                }
            }

            foreach ((StreamId id, PathRule rule) in LiteralPulledPaths())
            {
                if (!_paths.ContainsKey(id) && SourceUri.TryParse(rule.ResolveSource(id)!, out SourceUri? uri, out _))
                {
                    result.Add((id.Path, new SourceStatus(uri.Redacted, SourceState.Idle, rule.Source!.OnDemand, null, null, null, null, null, 0, 0)));
                }
            }
        }

        return result;
    }

    /// <summary>The source state of one path, or null when it pulls nothing.</summary>
    public SourceStatus? StatusOf(StreamId id)
    {
        foreach ((string path, SourceStatus status) in Snapshot())
        {
            if (path == id.Path)
            {
                return status;
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        Task[] running;
        lock (_lock)
        {
            running = [.. _sources.Owners.Select(s => s.Completion)];
            foreach (PathSource path in _paths.Values.ToArray())
            {
                Detach(path);
            }
        }

        try
        {
            await Task.WhenAll(running.Append(_sweep)).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("Pulled sources did not close within 5 s at shutdown");
        }
    }

    /// <summary>The configured paths that name one path (not a regex) and pull a camera, with the rule that applies to them.</summary>
    private IEnumerable<(StreamId Id, PathRule Rule)> LiteralPulledPaths()
    {
        foreach (PathOptions options in _authorizer.Paths)
        {
            if (!options.Name.StartsWith('~') && StreamId.TryCreate(options.Name, out StreamId id, out _) &&
                _authorizer.Find(id) is { Source: not null } rule)
            {
                yield return (id, rule);
            }
        }
    }

    /// <summary>Under the lock: the path's source, attached to the connection for its URL (made and claimed when there is none).</summary>
    private PathSource? GetOrAttach(StreamId id, PathRule rule)
    {
        if (_paths.TryGetValue(id, out PathSource? existing))
        {
            return existing;
        }

        if (_stop.IsCancellationRequested)
        {
            return null;
        }

        string url = rule.ResolveSource(id)!;
        if (!SourceUri.TryParse(url, out SourceUri? uri, out string? error))
        {
            _logger.LogWarning("Path {Path}: its source URL is invalid once the path's groups are filled in: {Error}", id.Path, error);
            return null;
        }

        ISourceConnector? connector = Array.Find(_connectors, c => c.Handles(uri));
        if (connector is null)
        {
            _logger.LogWarning("Path {Path}: no connector pulls {Scheme} sources", id.Path, uri.Scheme);
            return null;
        }

        var path = new PathSource(id, rule, rule.Source!, uri);
        _paths[id] = path;
        if (!_sources.TryGet(uri.Key, out PulledSource? source) || !source.TryAttach(path))
        {
            source = NewSource(uri, connector, path);
            source.TryAttach(path);
            source.Start();
        }

        return path;
    }

    private PulledSource NewSource(SourceUri uri, ISourceConnector connector, PathSource path)
    {
        SourceOptions options = _options;
        var connect = new SourceConnectOptions
        {
            Transport = path.Settings.Transport,
            RequestTimeout = TimeSpan.FromSeconds(options.RequestTimeoutSeconds),
            ReadTimeout = TimeSpan.FromSeconds(options.ReadTimeoutSeconds),
        };
        var source = new PulledSource(uri, connector, connect,
            new SourceBackoff(TimeSpan.FromSeconds(options.RetryMinSeconds), TimeSpan.FromSeconds(options.RetryMaxSeconds)),
            _registry, _pathLabels.For(path.Id.Path), _loggerFactory.CreateLogger<PulledSource>());

        // A stopping connection for the same URL released its claim when it began to stop, so this claim is free.
        if (!_sources.TryClaim(uri.Key, source, path.Id.Path))
        {
            throw new InvalidOperationException($"pulled_source {uri.Redacted} is held by a source that is not stopping");
        }

        return source;
    }

    /// <summary>Under the lock: the path leaves its connection; the connection stops and gives up its claim when it was the last.</summary>
    private void Detach(PathSource path)
    {
        _paths.Remove(path.Id);
        if (path.Source is { } source && source.Detach(path))
        {
            _sources.Release(path.Uri.Key, source);
        }
    }

    private async Task SweepAsync()
    {
        using var timer = new PeriodicTimer(SweepInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                CloseIdleOnDemandSources();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void CloseIdleOnDemandSources()
    {
        long now = Environment.TickCount64;
        lock (_lock)
        {
            foreach (PathSource path in _paths.Values.ToArray())
            {
                if (!path.Settings.OnDemand)
                {
                    continue;
                }

                if (path.HasWaiters || path.Stream is { ReaderCount: > 0 })
                {
                    path.MarkWanted();
                    continue;
                }

                if (now - path.LastWantedAt >= path.Settings.CloseAfter.TotalMilliseconds)
                {
                    _logger.LogInformation("Path {Path}: no reader for {Seconds:0.#} s (SourceOnDemandCloseAfterSeconds); closing its source {Url}",
                        path.Id.Path, path.Settings.CloseAfter.TotalSeconds, path.Uri.Redacted);
                    Detach(path);
                }
            }
        }
    }
}
