using System.Collections.Concurrent;
using System.Threading.Channels;
using MediaServer.Core.Sources;
using MediaServer.Media.Sdp;

namespace MediaServer.Core.Tests.Sources;

/// <summary>
/// A connector whose cameras the test drives: each open either fails with the reason the test
/// queued or gives a <see cref="ScriptedConnection"/> that publishes what the test sends it.
/// </summary>
internal sealed class ScriptedSourceConnector : ISourceConnector
{
    private readonly ConcurrentQueue<SourceFailureReason> _failures = new();
    private readonly Channel<ScriptedConnection> _opened = Channel.CreateUnbounded<ScriptedConnection>();
    private int _opens;

    /// <summary>Every URL opened, in order (their keys).</summary>
    public ConcurrentQueue<string> Opened { get; } = new();

    public int Opens => Volatile.Read(ref _opens);

    /// <summary>Opens that fail, in order, before opens succeed again.</summary>
    public void FailNext(SourceFailureReason reason, int times = 1)
    {
        for (int i = 0; i < times; i++)
        {
            _failures.Enqueue(reason);
        }
    }

    /// <summary>Fails every open from now on with <paramref name="reason"/> (until <see cref="Recover"/>).</summary>
    public SourceFailureReason? AlwaysFail { get; set; }

    public void Recover() => AlwaysFail = null;

    public bool Handles(SourceUri uri) => uri.Scheme is "rtsp" or "rtsps";

    public Task<ISourceConnection> OpenAsync(SourceUri uri, SourceConnectOptions options, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _opens);
        Opened.Enqueue(uri.Key);
        if (AlwaysFail is { } always)
        {
            throw new SourceException(always, "scripted failure: " + always);
        }

        if (_failures.TryDequeue(out SourceFailureReason reason))
        {
            throw new SourceException(reason, "scripted failure: " + reason);
        }

        var connection = new ScriptedConnection(uri);
        _opened.Writer.TryWrite(connection);
        return Task.FromResult<ISourceConnection>(connection);
    }

    /// <summary>The next connection that opens successfully.</summary>
    public async Task<ScriptedConnection> NextConnectionAsync() =>
        await _opened.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
}

/// <summary>One scripted camera connection: the test hands it packets and ends it.</summary>
internal sealed class ScriptedConnection(SourceUri uri) : ISourceConnection
{
    private readonly Channel<(int Track, byte[] Rtp)> _packets = Channel.CreateUnbounded<(int, byte[])>();
    private readonly TaskCompletionSource _playing = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SourceFailureReason? _failWith;

    public SourceUri Uri { get; } = uri;

    public SessionDescription Description { get; } = TestRtp.Sdp();

    public string Transport => "tcp";

    public Task Playing => _playing.Task;

    /// <summary>Completes when the server has torn this connection down.</summary>
    public Task Disposed => _disposed.Task;

    public void Send(int track, byte[] rtp) => _packets.Writer.TryWrite((track, rtp));

    /// <summary>The camera goes away (closes, or fails for <paramref name="reason"/>).</summary>
    public void End(SourceFailureReason reason = SourceFailureReason.Ended)
    {
        _failWith = reason;
        _packets.Writer.TryComplete();
    }

    public async Task RunAsync(SourcePublisher publisher, CancellationToken cancellationToken)
    {
        _playing.TrySetResult();
        await foreach ((int track, byte[] rtp) in _packets.Reader.ReadAllAsync(cancellationToken))
        {
            publisher.PublishRtp(track, rtp);
            publisher.EndBurst();
        }

        throw new SourceException(_failWith ?? SourceFailureReason.Ended, "scripted end");
    }

    public ValueTask DisposeAsync()
    {
        _disposed.TrySetResult();
        return ValueTask.CompletedTask;
    }
}
