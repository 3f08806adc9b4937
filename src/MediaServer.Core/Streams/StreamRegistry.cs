using MediaServer.Core.Attribution;
using System.Collections.Concurrent;
using MediaServer.Core.Access;
using MediaServer.Core.Metrics;
using MediaServer.Core.Packets;
using MediaServer.Media.Sdp;

using Microsoft.Extensions.Logging;

namespace MediaServer.Core.Streams;

/// <summary>
/// The streams being published, by id. Consulted when a session sets up (never per packet);
/// it holds streams, not media: each stream owns its own data (DESIGN.md invariant 2).
/// </summary>
public sealed class StreamRegistry
{
    private readonly ConcurrentDictionary<StreamId, MediaStream> _streams = new();
    private readonly StreamOptions _options;
    private readonly MediaPacketPool _pool;
    private readonly PathLabels _pathLabels;
    private readonly ILogger? _logger;

    /// <param name="pool">The host's packet pool (and with it its isolation guard); a pool of its own when null.</param>
    /// <param name="pathLabels">The host's metric path labels; a set of its own (default capacity) when null.</param>
    public StreamRegistry(StreamOptions options, MediaPacketPool? pool = null, ILogger? logger = null, PathLabels? pathLabels = null)
    {
        _options = options;
        _pool = pool ?? new MediaPacketPool();
        _pathLabels = pathLabels ?? new PathLabels(new MetricsOptions().MaxPathLabels);
        _logger = logger;
    }

    /// <summary>The pool every stream of this registry rents its packets from.</summary>
    public MediaPacketPool Pool => _pool;

    public int Count => _streams.Count;

    /// <summary>Publishers and readers coming and going, for hooks.</summary>
    public StreamEvents Events { get; } = new();

    public ICollection<MediaStream> Streams => _streams.Values;

    public bool TryGet(StreamId id, out MediaStream stream) => _streams.TryGetValue(id, out stream!);

    /// <summary>Starts paths' sources for their readers (the host's pulled sources); none when null.</summary>
    public IStreamActivator? Activator { get; set; }

    /// <summary>
    /// The stream a reader asked for: the one published, or the one its path's source starts for
    /// it (on demand), or null. The reader must have been authorised for the path already.
    /// </summary>
    public async ValueTask<MediaStream?> AcquireAsync(StreamId id, CancellationToken cancellationToken)
    {
        IStreamActivator? activator = Activator;
        if (activator is not null)
        {
            // The activator sees every reader, also of a stream already playing, so an on-demand source knows it is wanted.
            return await activator.ActivateAsync(id, cancellationToken).ConfigureAwait(false)
                ?? (_streams.TryGetValue(id, out MediaStream? published) ? published : null);
        }

        return _streams.TryGetValue(id, out MediaStream? stream) ? stream : null;
    }

    /// <summary>Creates the stream for an authorised publisher, replacing the current one if the path allows it.</summary>
    /// <param name="protocol">How it is published (<see cref="MediaStream.Protocol"/>).</param>
    public PublishOutcome TryPublish(StreamGrant grant, SessionDescription description, out MediaStream? stream, string protocol = "rtsp")
    {
        stream = null;
        if (!grant.Allows(grant.StreamId, StreamAction.Publish))
        {
            return PublishOutcome.NotAuthorized;
        }

        if (grant.Rule?.Source is not null && !grant.IsSource)
        {
            return PublishOutcome.PathHasSource;
        }

        var created = new MediaStream(grant.StreamId, description, _options, _pool, _logger, pathLabels: _pathLabels) { Protocol = protocol };
        while (true)
        {
            // A replacement does not add a path, so only a new path counts against the limit.
            if (!_streams.ContainsKey(grant.StreamId) && _streams.Count >= _options.MaxPublishers)
            {
                MetricsRegistry.LimitRejections.WithLabels("publishers").Inc();
                return PublishOutcome.TooManyPublishers;
            }

            if (_streams.TryAdd(grant.StreamId, created))
            {
                stream = created;
                return PublishOutcome.Published;
            }

            if (!_streams.TryGetValue(grant.StreamId, out MediaStream? current))
            {
                continue;
            }

            if (grant.Rule?.Options.OverridePublisher != true)
            {
                // A path has one publisher (invariant 7); only a rule that says so lets a new one replace it.
                MetricsRegistry.AttributionConflicts.WithLabels(AttributionMap.StreamPublisher).Inc();
                return PublishOutcome.PathBusy;
            }

            if (_streams.TryUpdate(grant.StreamId, created, current))
            {
                current.Close();
                stream = created;
                return PublishOutcome.ReplacedPrevious;
            }
        }
    }

    /// <summary>Removes the stream if it is still the one registered for its id, and closes it.</summary>
    public void Unpublish(MediaStream stream)
    {
        _streams.TryRemove(new KeyValuePair<StreamId, MediaStream>(stream.Id, stream));
        stream.Close();
    }
}
