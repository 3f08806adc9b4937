using MediaServer.Core.Access;
using MediaServer.Core.Streams;

namespace MediaServer.Core.Sources;

/// <summary>
/// One path that pulls a camera: its resolved URL, whether it runs always or on demand, the stream
/// its source publishes for it while playing, and when a reader last wanted it. Owned by the
/// <see cref="SourceDirectory"/>; its stream is always a fresh publication per attempt, so nothing
/// a previous camera sent survives a reconnect (the camera-swap case).
/// </summary>
internal sealed class PathSource
{
    private TaskCompletionSource<MediaStream> _ready = NewReady();
    private MediaStream? _stream;
    private long _lastWantedAt = Environment.TickCount64;
    private int _waiters;

    public PathSource(StreamId id, PathRule rule, SourceSettings settings, SourceUri uri)
    {
        Id = id;
        Rule = rule;
        Settings = settings;
        Uri = uri;
        Grant = StreamAuthorizer.GrantSource(id, rule);
    }

    public StreamId Id { get; }

    public PathRule Rule { get; }

    public SourceSettings Settings { get; }

    public SourceUri Uri { get; }

    public StreamGrant Grant { get; }

    /// <summary>The connection that pulls this path's URL (shared by every path with the identical URL).</summary>
    public PulledSource? Source { get; set; }

    /// <summary>The stream published for this path by the current attempt; null while not playing.</summary>
    public MediaStream? Stream => Volatile.Read(ref _stream);

    /// <summary>Milliseconds (<see cref="Environment.TickCount64"/>) when a reader last asked for or read the path.</summary>
    public long LastWantedAt => Interlocked.Read(ref _lastWantedAt);

    /// <summary>Readers waiting for the source to start: an on-demand source is not closed under them.</summary>
    public bool HasWaiters => Volatile.Read(ref _waiters) > 0;

    public void MarkWanted() => Interlocked.Exchange(ref _lastWantedAt, Environment.TickCount64);

    /// <summary>The stream once the source plays for this path, or at once when it does already.</summary>
    public async Task<MediaStream?> WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waiters);
        try
        {
            MediaStream stream = await Volatile.Read(ref _ready).Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return stream.IsClosed ? null : stream;
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            MarkWanted();
            Interlocked.Decrement(ref _waiters);
        }
    }

    public void OnPublished(MediaStream stream)
    {
        Volatile.Write(ref _stream, stream);
        Volatile.Read(ref _ready).TrySetResult(stream);
    }

    /// <summary>The attempt ended: later readers wait for the next one.</summary>
    public void OnUnpublished()
    {
        Volatile.Write(ref _stream, null);
        if (Volatile.Read(ref _ready).Task.IsCompleted)
        {
            Volatile.Write(ref _ready, NewReady());
        }
    }

    private static TaskCompletionSource<MediaStream> NewReady() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
