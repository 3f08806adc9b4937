using MediaServer.Core.Access;
using MediaServer.Core.Metrics;
using MediaServer.Core.Packets;
using MediaServer.Core.Sources;
using MediaServer.Core.Streams;
using Microsoft.Extensions.Logging;

namespace MediaServer.Core.Tests.Sources;

public class SourceDirectoryTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Always_on_source_is_opened_at_start_and_its_stream_is_what_readers_acquire()
    {
        await using var fixture = new Fixture(new PathOptions { Name = "cam", Source = "rtsp://camera.test/live" });
        fixture.Directory.Start();
        ScriptedConnection camera = await fixture.Connector.NextConnectionAsync();
        await camera.Playing.WaitAsync(Wait);

        MediaStream? stream = await fixture.Registry.AcquireAsync(TestRtp.Id("cam"), CancellationToken.None);
        Assert.NotNull(stream);
        Assert.Equal("rtsp://camera.test:554/live", camera.Uri.Key);
        Assert.Equal(SourceState.Ready, fixture.Directory.StatusOf(TestRtp.Id("cam"))!.State);
    }

    [Fact]
    public async Task On_demand_source_is_not_opened_before_a_reader_and_closes_after_the_last_reader_plus_the_delay()
    {
        await using var fixture = new Fixture(new PathOptions
        {
            Name = "cam", Source = "rtsp://camera.test/live", SourceOnDemand = true, SourceOnDemandCloseAfterSeconds = 0.3,
        });
        fixture.Directory.Start();
        await Task.Delay(300);
        Assert.Equal(0, fixture.Connector.Opens);
        Assert.Equal(SourceState.Idle, fixture.Directory.StatusOf(TestRtp.Id("cam"))!.State);

        Task<MediaStream?> acquiring = fixture.Registry.AcquireAsync(TestRtp.Id("cam"), CancellationToken.None).AsTask();
        ScriptedConnection camera = await fixture.Connector.NextConnectionAsync();
        MediaStream? stream = await acquiring.WaitAsync(Wait);
        Assert.NotNull(stream);
        MediaStreamReader reader = stream.Subscribe(TestRtp.Grant(stream.Id, StreamAction.Read));

        // While someone reads, the source stays however long the delay is.
        await Task.Delay(700);
        Assert.False(camera.Disposed.IsCompleted);

        reader.Dispose();
        await camera.Disposed.WaitAsync(Wait);
        await Eventually(() => stream.IsClosed && !fixture.Registry.TryGet(stream.Id, out _));
        Assert.Equal(1, fixture.Connector.Opens);
    }

    [Fact]
    public async Task On_demand_reader_gets_nothing_when_the_source_does_not_start_within_the_start_timeout()
    {
        await using var fixture = new Fixture(new PathOptions
        {
            Name = "cam", Source = "rtsp://camera.test/live", SourceOnDemand = true, SourceOnDemandStartTimeoutSeconds = 0.3,
        });
        fixture.Connector.AlwaysFail = SourceFailureReason.Unreachable;
        fixture.Directory.Start();

        MediaStream? stream = await fixture.Registry.AcquireAsync(TestRtp.Id("cam"), CancellationToken.None).AsTask().WaitAsync(Wait);
        Assert.Null(stream);

        // It was tried (on a loaded machine the first attempt may start after the reader gave up).
        await Eventually(() => fixture.Connector.Opens >= 1);
    }

    [Fact]
    public async Task Paths_with_identical_urls_share_one_connection_and_each_gets_its_own_stream()
    {
        await using var fixture = new Fixture(
            new PathOptions { Name = "a", Source = "rtsp://u:p@camera.test:8554/live?channel=1" },
            new PathOptions { Name = "b", Source = "rtsp://u:p@camera.test:8554/live?channel=1" });
        fixture.Directory.Start();
        ScriptedConnection camera = await fixture.Connector.NextConnectionAsync();
        await Eventually(() => fixture.Registry.TryGet(TestRtp.Id("a"), out _) && fixture.Registry.TryGet(TestRtp.Id("b"), out _));
        Assert.True(fixture.Registry.TryGet(TestRtp.Id("a"), out MediaStream a));
        Assert.True(fixture.Registry.TryGet(TestRtp.Id("b"), out MediaStream b));
        MediaStreamReader readerA = a.Subscribe(TestRtp.Grant(a.Id, StreamAction.Read));
        MediaStreamReader readerB = b.Subscribe(TestRtp.Grant(b.Id, StreamAction.Read));

        camera.Send(0, TestRtp.Packet(1, 3000, TestRtp.Idr));
        MediaPacket fromA = await ReadAsync(readerA);
        MediaPacket fromB = await ReadAsync(readerB);

        // One packet from the camera, two buffers: each stamped for its own stream.
        Assert.NotSame(fromA, fromB);
        Assert.True(fromA.IsStampedFor(a.Id, a.Generation));
        Assert.True(fromB.IsStampedFor(b.Id, b.Generation));
        Assert.Equal(1, fixture.Connector.Opens);
    }

    [Theory]
    [InlineData("rtsp://u:p@camera.test:8554/live?channel=2", "the query")]
    [InlineData("rtsp://v:p@camera.test:8554/live?channel=1", "the user")]
    [InlineData("rtsp://u:q@camera.test:8554/live?channel=1", "the password")]
    [InlineData("rtsp://u:p@camera.test:8555/live?channel=1", "the port")]
    public async Task Paths_whose_urls_differ_in_any_part_get_separate_connections(string other, string differing)
    {
        await using var fixture = new Fixture(
            new PathOptions { Name = "a", Source = "rtsp://u:p@camera.test:8554/live?channel=1" },
            new PathOptions { Name = "b", Source = other });
        fixture.Directory.Start();
        ScriptedConnection first = await fixture.Connector.NextConnectionAsync();
        ScriptedConnection second = await fixture.Connector.NextConnectionAsync();
        Assert.NotEqual(first.Uri.Key, second.Uri.Key);
        await Eventually(() => fixture.Registry.TryGet(TestRtp.Id("a"), out _) && fixture.Registry.TryGet(TestRtp.Id("b"), out _));
        Assert.True(fixture.Registry.TryGet(TestRtp.Id("a"), out MediaStream a));
        Assert.True(fixture.Registry.TryGet(TestRtp.Id("b"), out MediaStream b));
        MediaStreamReader readerA = a.Subscribe(TestRtp.Grant(a.Id, StreamAction.Read));
        MediaStreamReader readerB = b.Subscribe(TestRtp.Grant(b.Id, StreamAction.Read));

        ScriptedConnection cameraOfA = first.Uri.Key.Contains("channel=1", StringComparison.Ordinal) && first.Uri.Key.StartsWith("rtsp://u:p@", StringComparison.Ordinal) && first.Uri.Port == 8554 ? first : second;
        ScriptedConnection cameraOfB = ReferenceEquals(cameraOfA, first) ? second : first;
        cameraOfA.Send(0, TestRtp.Packet(1, 3000, TestRtp.Idr, tag: 0xA));
        cameraOfB.Send(0, TestRtp.Packet(1, 3000, TestRtp.Idr, tag: 0xB));
        Assert.Equal(0xA, (await ReadAsync(readerA)).Payload[^1]);
        Assert.Equal(0xB, (await ReadAsync(readerB)).Payload[^1]);
        Assert.True(fixture.Connector.Opens == 2, $"paths differing in {differing} shared a connection");
    }

    [Fact]
    public async Task Reconnect_after_a_camera_swap_publishes_a_new_stream_that_holds_nothing_of_the_old_camera()
    {
        await using var fixture = new Fixture(new PathOptions { Name = "cam", Source = "rtsp://camera.test/live" });
        fixture.Directory.Start();
        ScriptedConnection oldCamera = await fixture.Connector.NextConnectionAsync();
        await Eventually(() => fixture.Registry.TryGet(TestRtp.Id("cam"), out _));
        Assert.True(fixture.Registry.TryGet(TestRtp.Id("cam"), out MediaStream before));
        var oldGop = new GopPublisherFor(oldCamera, tag: 0xA);
        oldGop.Keyframe();
        oldGop.Frame();
        await Eventually(() => before.CachedPackets >= 4);

        oldCamera.End(SourceFailureReason.Ended);
        ScriptedConnection newCamera = await fixture.Connector.NextConnectionAsync();
        await Eventually(() => fixture.Registry.TryGet(TestRtp.Id("cam"), out MediaStream s) && !ReferenceEquals(s, before));
        Assert.True(before.IsClosed);
        Assert.True(fixture.Registry.TryGet(TestRtp.Id("cam"), out MediaStream after));
        Assert.NotEqual(before.Generation, after.Generation);

        // The new camera has sent no keyframe yet: a reader that joins now gets nothing cached, and
        // then only the new camera's packets.
        MediaStreamReader reader = after.Subscribe(TestRtp.Grant(after.Id, StreamAction.Read));
        Assert.False(reader.TryRead(out _));
        var newGop = new GopPublisherFor(newCamera, tag: 0xB);
        newGop.Keyframe();
        MediaPacket first = await ReadAsync(reader);
        Assert.Equal(0xB, first.Payload[^1]);
        Assert.True(first.IsStampedFor(after.Id, after.Generation));
    }

    [Fact]
    public async Task Wrong_credentials_retry_with_growing_backoff_and_log_one_line_for_the_state_change()
    {
        await using var fixture = new Fixture(new PathOptions { Name = "cam", Source = "rtsp://admin:wrong@camera.test/live" });
        fixture.Connector.AlwaysFail = SourceFailureReason.Unauthorized;
        fixture.Directory.Start();
        // Between attempts the source is retrying; an attempt in flight shows connecting for a moment.
        SourceStatus status = null!;
        await Eventually(() => fixture.Connector.Opens >= 4 && (status = fixture.Directory.StatusOf(TestRtp.Id("cam"))!).State == SourceState.Retrying);

        Assert.Equal(SourceState.Retrying, status.State);
        Assert.Equal("unauthorized", status.LastErrorReason);
        Assert.True(status.Attempts >= 3);
        Assert.NotNull(status.NextAttemptAt);
        Assert.DoesNotContain("wrong", status.Url, StringComparison.Ordinal);
        Assert.Equal(1, fixture.Logs.Count(LogLevel.Warning, "unauthorized"));
        Assert.DoesNotContain(fixture.Logs.Lines, l => l.Message.Contains("wrong", StringComparison.Ordinal));

        // Another reason is another state: one more line, and recovery is one line too.
        fixture.Connector.AlwaysFail = SourceFailureReason.Unreachable;
        await Eventually(() => fixture.Logs.Count(LogLevel.Warning, "unreachable") == 1);
        fixture.Connector.Recover();
        await fixture.Connector.NextConnectionAsync();
        await Eventually(() => fixture.Directory.StatusOf(TestRtp.Id("cam"))!.State == SourceState.Ready);
        Assert.Equal(1, fixture.Logs.Count(LogLevel.Warning, "unreachable"));
    }

    [Fact]
    public async Task Regex_path_pulls_the_url_its_groups_make_for_each_path()
    {
        await using var fixture = new Fixture(new PathOptions { Name = "~^cam(\\d+)$", Source = "rtsp://nvr.test/ch$G1?sub=$G1", SourceOnDemand = true });
        fixture.Directory.Start();

        Task<MediaStream?> seven = fixture.Registry.AcquireAsync(TestRtp.Id("cam7"), CancellationToken.None).AsTask();
        ScriptedConnection camera = await fixture.Connector.NextConnectionAsync();
        Assert.NotNull(await seven.WaitAsync(Wait));
        Assert.Equal("rtsp://nvr.test:554/ch7?sub=7", camera.Uri.Key);
        Assert.Null(await fixture.Registry.AcquireAsync(TestRtp.Id("other"), CancellationToken.None));
    }

    [Fact]
    public async Task Hooks_see_a_pulled_path_become_ready_and_not_ready_as_its_camera_comes_and_goes()
    {
        await using var fixture = new Fixture(new PathOptions { Name = "cam", Source = "rtsp://camera.test/live" });
        var events = new System.Collections.Concurrent.ConcurrentQueue<StreamEvent>();
        fixture.Registry.Events.Raised += events.Enqueue;
        fixture.Directory.Start();
        ScriptedConnection camera = await fixture.Connector.NextConnectionAsync();
        await Eventually(() => events.Any(e => e.Kind == StreamEventKind.Ready));

        camera.End();
        await Eventually(() => events.Any(e => e.Kind == StreamEventKind.NotReady));

        StreamEvent ready = events.First(e => e.Kind == StreamEventKind.Ready);
        Assert.Equal("cam", ready.Path.Path);
        Assert.Equal("rtsp-source", ready.Protocol);
        Assert.Equal(StreamEventKind.Ready, events.First().Kind);
    }

    [Fact]
    public async Task Clients_cannot_publish_a_path_that_pulls_a_camera()
    {
        await using var fixture = new Fixture(new PathOptions { Name = "cam", Source = "rtsp://camera.test/live", SourceOnDemand = true });
        Assert.Equal(AccessDecision.Allowed, fixture.Authorizer.Authorize(TestRtp.Id("cam"), StreamAction.Publish, Principal.Everyone, out StreamGrant grant));
        Assert.Equal(PublishOutcome.PathHasSource, fixture.Registry.TryPublish(grant, TestRtp.Sdp(), out MediaStream? stream));
        Assert.Null(stream);
    }

    [Fact]
    public async Task Reload_that_changes_a_paths_url_closes_the_old_connection_and_opens_the_new_one()
    {
        await using var fixture = new Fixture(new PathOptions { Name = "cam", Source = "rtsp://old.test/live" });
        fixture.Directory.Start();
        ScriptedConnection old = await fixture.Connector.NextConnectionAsync();

        fixture.Authorizer.Replace([new PathOptions { Name = "cam", Source = "rtsp://new.test/live" }]);
        fixture.Directory.Reconcile();
        ScriptedConnection replacement = await fixture.Connector.NextConnectionAsync();
        await old.Disposed.WaitAsync(Wait);
        Assert.Equal("rtsp://new.test:554/live", replacement.Uri.Key);
    }

    private static async Task<MediaPacket> ReadAsync(MediaStreamReader reader)
    {
        using var timeout = new CancellationTokenSource(Wait);
        while (true)
        {
            if (reader.TryRead(out MediaPacket packet))
            {
                return packet;
            }

            await reader.WaitAsync().AsTask().WaitAsync(timeout.Token);
        }
    }

    private static async Task Eventually(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Wait);
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>Sends H.264-shaped access units through a scripted camera, tagged with the camera's byte.</summary>
    private sealed class GopPublisherFor(ScriptedConnection camera, byte tag)
    {
        private ushort _seq;
        private uint _timestamp;

        public void Keyframe()
        {
            _timestamp += 3000;
            camera.Send(0, TestRtp.Packet(_seq++, _timestamp, TestRtp.Sps, tag, marker: false));
            camera.Send(0, TestRtp.Packet(_seq++, _timestamp, TestRtp.Pps, tag, marker: false));
            camera.Send(0, TestRtp.Packet(_seq++, _timestamp, TestRtp.Idr, tag, marker: true));
        }

        public void Frame()
        {
            _timestamp += 3000;
            camera.Send(0, TestRtp.Packet(_seq++, _timestamp, TestRtp.NonIdr, tag, marker: true));
        }
    }

    private sealed class Fixture : IAsyncDisposable
    {
        public Fixture(params PathOptions[] paths)
        {
            Authorizer = new StreamAuthorizer(paths);
            Registry = new StreamRegistry(new StreamOptions());
            Directory = new SourceDirectory(Registry, Authorizer, [Connector],
                new SourceOptions { RetryMinSeconds = 0.02, RetryMaxSeconds = 0.1 }, new PathLabels(100), Logs);
            Registry.Activator = Directory;
        }

        public ScriptedSourceConnector Connector { get; } = new();

        public CollectingLoggerFactory Logs { get; } = new();

        public StreamAuthorizer Authorizer { get; }

        public StreamRegistry Registry { get; }

        public SourceDirectory Directory { get; }

        public ValueTask DisposeAsync() => Directory.DisposeAsync();
    }
}
