using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using MediaServer.Core.Metrics;
using MediaServer.Core.Packets;
using MediaServer.Core.Streams;
using MediaServer.EndToEnd.Infrastructure;
using MediaServer.EndToEnd.Infrastructure.Chaos;
using MediaServer.Rtsp.Server;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace MediaServer.EndToEnd;

/// <summary>
/// The failure camera clouds have shipped (a viewer on a poor network shown another household's
/// picture) provoked on purpose: eight cameras in eight colours, four or more viewers each over
/// RTSP/TCP, RTSP/UDP and WebRTC, all decoding for real, while UDP loses, duplicates and reorders
/// packets, cameras die mid-GOP and come back (some at a new resolution), readers stall until the
/// server drops them, and a tiny packet pool passes every buffer from stream to stream. No viewer
/// may decode a single frame of a foreign colour, and nothing may leak. Short by default; set
/// MEDIASERVER_SOAK_SECONDS for a soak (see CHAOS.md).
/// </summary>
[Collection("Chaos")]
[Trait("Category", "EndToEnd")]
[Trait("Category", "Chaos")]
public class ChaosIsolationTests(ITestOutputHelper output)
{
    private const int Cameras = 8;
    private const int PacketPoolSize = 32;
    private static readonly UdpFaults ViewerNetwork = new(Loss: 0.03, Duplicate: 0.02, Reorder: 0.03);
    private static readonly UdpFaults CameraNetwork = new(Loss: 0.005, Duplicate: 0.01, Reorder: 0.01);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task No_viewer_ever_decodes_another_cameras_picture_under_chaos()
    {
        ChaosSettings settings = ChaosSettings.FromEnvironment();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Cameras).SelectMany(c => ChaosCamera.Sizes.Select(s => ChaosClips.SolidAsync(c, s))));
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        long rssBefore = Process.GetCurrentProcess().WorkingSet64;

        await using MediaServerHost host = await TestHost.StartAsync(
            [$"--Streams:PacketPoolSize={PacketPoolSize}", "--Streams:ReaderQueuePackets=512", .. ChaosTenants.Arguments]);
        MediaPacketPool pool = host.Services.GetRequiredService<MediaPacketPool>();
        StreamRegistry registry = host.Services.GetRequiredService<StreamRegistry>();
        RtspServerContext rtsp = host.Services.GetRequiredService<RtspServerContext>();
        var faults = new FaultCounters();
        await using var viewerProxy = new RtspUdpProxy(host.RtspPort, ViewerNetwork, faults, seed: 1000, settings.Lifetime);
        await using var cameraProxy = new RtspUdpProxy(host.RtspPort, CameraNetwork, faults, seed: 2000, settings.Lifetime);
        using var stop = new CancellationTokenSource(settings.Lifetime);

        var cameras = new List<ChaosCamera>();
        for (int c = 0; c < Cameras; c++)
        {
            // Two cameras (TCP) send ten times the bits, so their stalled readers back the server up in seconds.
            bool udp = c % 2 == 1;
            cameras.Add(new ChaosCamera(host, c, udp ? "udp" : "tcp", udp ? cameraProxy.Port : host.RtspPort, heavy: c % 4 == 0));
        }

        List<Task> watching = [];
        try
        {
            await Task.WhenAll(cameras.Select(camera => camera.StartAsync(ChaosCamera.Sizes[0], stop.Token)));
            List<ViewerSlot> slots = CreateViewers(host, cameras, viewerProxy, faults, settings);
            var peakRss = new PeakMemory();
            Task sampling = peakRss.SampleAsync(stop.Token);
            watching.AddRange(slots.Select(slot => slot.RunAsync(ct => WaitUntilPublishedAsync(host, slot.Path, ct), stop.Token)));

            // Chaos: cameras die and return while readers stall and a hostile tenant claims what
            // the others hold, for the configured time.
            using var chaos = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            chaos.CancelAfter(settings.Chaos);
            var restarts = new RestartStats();
            var stalls = new StallStats();
            var busy = new ConcurrentDictionary<string, bool>(); // a camera is restarted or has a reader stalled, not both
            var mallory = new HostileTenant(host, cameraProxy, viewerProxy);
            var rates = new CameraRateWatch(host, cameras, busy);
            double refusedBefore = RefusedForeignPackets();
            await Task.WhenAll(
                RestartCamerasAsync(host, cameras, restarts, busy, settings, chaos.Token),
                StallReadersAsync(slots.Where(s => s.Name.EndsWith("rtsp-tcp-stall", StringComparison.Ordinal)).ToList(), stalls, busy, chaos.Token),
                mallory.RunAsync(chaos.Token),
                rates.RunAsync(chaos.Token));
            mallory.JudgeInjections();

            // Every viewer must be watching its camera again afterwards, and decoding its own colour.
            Dictionary<ViewerSlot, long> atChaosEnd = slots.ToDictionary(s => s, s => s.Tally.Own);
            bool recovered = await Eventually.TrueAsync(() => slots.All(s => s.Tally.Own >= atChaosEnd[s] + 25), Settle);
            TimeSpan ran = clock.Elapsed;

            await stop.CancelAsync();
            await Task.WhenAll(watching);
            await sampling;
            Report(settings, slots, cameras, restarts, stalls, faults, pool, peakRss, rssBefore, heapBefore, ran);
            output.WriteLine($"hostile tenant: {mallory}; refused foreign packets {RefusedForeignPackets() - refusedBefore}");
            output.WriteLine($"camera ingest: {rates}");
            Console.WriteLine($"hostile tenant: {mallory}\ncamera ingest: {rates}");

            Assert.True(recovered, "viewers that did not decode again after the chaos: " +
                string.Join(", ", slots.Where(s => s.Tally.Own < atChaosEnd[s] + 25).Select(s => $"{s.Name} ({s.Connects} connects, {s.FailedConnects} failed: {s.LastError})")));
            Assert.Equal(0, faults.StraySsrc);
            Assert.All(slots, s => Assert.True(s.Tally.Foreign == 0, $"{s.Name} decoded {s.Tally.Foreign} foreign frames, first: {s.Tally.FirstForeign}"));
            Assert.All(slots.Where(s => s.Lossless), s => Assert.True(s.Tally.Specks == 0,
                $"{s.Name} (no loss on its path) decoded {s.Tally.Specks} frames with patches of another colour"));
            Assert.All(slots, s => Assert.True(s.Tally.Own >= settings.MinOwnFrames, $"{s.Name} decoded only {s.Tally.Own} frames of its own colour"));
            Assert.Equal(0, host.IsolationViolations);
            Assert.Equal(0, MetricsRegistry.IsolationViolations.Value);

            // The hostile tenant claimed nothing, though she tried every kind of claim, and no camera starved.
            Assert.True(mallory.Successes.Count == 0, "claims that succeeded: " + string.Join("; ", mallory.Successes));
            Assert.All(HostileTenant.Kinds, kind => Assert.True(mallory.Attempts.GetValueOrDefault(kind) > 0, $"no {kind} claim was tried: {mallory}"));
            Assert.True(RefusedForeignPackets() - refusedBefore >= mallory.ForeignSsrcPacketsInjected,
                $"{mallory.ForeignSsrcPacketsInjected} foreign-SSRC packets injected, only {RefusedForeignPackets() - refusedBefore} refused");
            Assert.True(rates.JudgedWindows >= Cameras, $"too few ingest windows judged: {rates}");
            Assert.All(rates.WorstToMedian, w => Assert.True(w.Value >= 0.5, $"{w.Key} lost its frame rate: {rates}"));

            // The chaos really happened.
            Assert.True(faults.Dropped > 0 && faults.Duplicated > 0 && faults.Reordered > 0, $"no faults injected: {faults}");
            Assert.True(restarts.Kills >= 2 && cameras.Sum(c => c.ResolutionChanges) >= 1, $"cameras were not restarted enough: {restarts.Kills} kills");
            Assert.True(stalls.ResumedAtKeyframe >= 1, $"no stalled reader was dropped and resumed: {stalls}");
            Assert.Equal(stalls.Resumes, stalls.ResumedAtKeyframe);
            Assert.Equal(stalls.Starts, stalls.StartedAtKeyframe);
            Assert.True(pool.Allocated > PacketPoolSize, "the packet pool was never under pressure");

            // Nothing left behind by the viewers.
            Assert.True(await Eventually.TrueAsync(() => host.WebRtcSessions().Count == 0, TimeSpan.FromSeconds(20)),
                $"{host.WebRtcSessions().Count} WebRTC sessions outlived their viewers");
            Assert.True(await Eventually.TrueAsync(() => registry.Streams.All(s => s.ReaderCount == 0), TimeSpan.FromSeconds(20)),
                "readers outlived their viewers: " + string.Join(", ", registry.Streams.Select(s => $"{s.Id.Path}={s.ReaderCount}")));
        }
        finally
        {
            // Also when an assertion failed: no viewer or decoder may outlive the test.
            await stop.CancelAsync();
            await Task.WhenAll(watching).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
            foreach (ChaosCamera camera in cameras)
            {
                await camera.DisposeAsync();
            }
        }

        // Nothing left behind by the cameras either: no stream, no session, no rented packet.
        Assert.True(await Eventually.TrueAsync(() => registry.Count == 0, TimeSpan.FromSeconds(20)), $"{registry.Count} streams outlived their publishers");
        Assert.True(await Eventually.TrueAsync(() => rtsp.ConnectionCount == 0, TimeSpan.FromSeconds(20)), $"{rtsp.ConnectionCount} RTSP connections left");
        Assert.True(await Eventually.TrueAsync(() => viewerProxy.LiveRelays == 0 && cameraProxy.LiveRelays == 0, TimeSpan.FromSeconds(20)), "relays left open");
        Assert.True(await Eventually.TrueAsync(() => pool.Outstanding == 0, TimeSpan.FromSeconds(20)), $"{pool.Outstanding} packets never returned to the pool");
        long heapGrowth = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        output.WriteLine($"managed heap growth after the run: {heapGrowth / 1024 / 1024} MB");
        Assert.True(heapGrowth < 256L * 1024 * 1024, $"managed heap grew by {heapGrowth / 1024 / 1024} MB");
    }

    [Fact]
    public async Task The_colour_check_sees_another_cameras_picture_when_there_is_one()
    {
        // The control experiment: a viewer of home2 that expects home1's colour must count every
        // frame as foreign, or zero foreign frames above would prove nothing.
        await using MediaServerHost host = await TestHost.StartAsync();
        await using var camera = new ChaosCamera(host, 1, "tcp", host.RtspPort);
        await camera.StartAsync(ChaosCamera.Sizes[0], CancellationToken.None);
        var wrong = new ColourTally(0);
        await using (FfmpegRtspViewer viewer = FfmpegRtspViewer.Start(host.RtspPort, camera.Path, "tcp", wrong))
        {
            Assert.True(await Eventually.TrueAsync(() => wrong.Foreign >= 25, TimeSpan.FromSeconds(30)), "the foreign picture was not seen");
        }

        Assert.Equal(0, wrong.Own);
        Assert.Contains(ColourPalette.Colours[1].Name, wrong.FirstForeign, StringComparison.Ordinal);
    }

    private static List<ViewerSlot> CreateViewers(MediaServerHost host, List<ChaosCamera> cameras, RtspUdpProxy proxy, FaultCounters faults, ChaosSettings settings)
    {
        var slots = new List<ViewerSlot>();
        int seed = 3000;
        foreach (ChaosCamera camera in cameras)
        {
            string path = camera.Path;
            int colour = camera.Colour;
            ViewerSlot Slot(string kind, Func<ColourTally, CancellationToken, Task<IViewerSession>> connect)
            {
                var tally = new ColourTally(colour);
                bool lossless = camera.Transport == "tcp" && kind.StartsWith("rtsp-tcp", StringComparison.Ordinal);
                return new ViewerSlot($"{path} {kind}", path, tally, ct => connect(tally, ct)) { Lossless = lossless };
            }

            slots.Add(Slot("rtsp-tcp", (t, _) => Task.FromResult<IViewerSession>(FfmpegRtspViewer.Start(host.RtspPort, path, "tcp", t))));
            slots.Add(Slot("rtsp-udp-faulty", (t, _) => Task.FromResult<IViewerSession>(FfmpegRtspViewer.Start(proxy.Port, path, "udp", t))));
            slots.Add(Slot("webrtc-faulty", async (t, ct) =>
                await WhepViewer.ConnectAsync(host, path, t, ViewerNetwork, faults, Interlocked.Increment(ref seed), settings.Lifetime, ct)));
            slots.Add(camera.Heavy
                ? Slot("rtsp-tcp-stall", async (t, ct) => await StallingRtspReader.ConnectAsync(host.RtspPort, path, t, ct))
                : Slot("webrtc", async (t, ct) => await WhepViewer.ConnectAsync(host, path, t, null, faults, 0, settings.Lifetime, ct)));
        }

        return slots;
    }

    private static async Task WaitUntilPublishedAsync(MediaServerHost host, string path, CancellationToken stop)
    {
        // Polls with DESCRIBE like a reconnecting player; bounded by the run's lifetime.
        while (!stop.IsCancellationRequested && await RtspProbe.DescribeStatusAsync(host.RtspPort, path, ChaosTenants.ViewerAuthorization) != 200)
        {
            await Task.Delay(200, stop);
        }

        stop.ThrowIfCancellationRequested();
    }

    /// <summary>Each camera in turn: killed mid-GOP, gone until the server has noticed, back (at the other size, but for the heavy ones).</summary>
    private static async Task RestartCamerasAsync(MediaServerHost host, List<ChaosCamera> cameras, RestartStats stats,
        ConcurrentDictionary<string, bool> busy, ChaosSettings settings, CancellationToken chaos)
    {
        var random = new Random(42);
        StreamRegistry registry = host.Services.GetRequiredService<StreamRegistry>();
        for (int turn = 0; !chaos.IsCancellationRequested; turn++)
        {
            if (!await PauseAsync(settings.RestartEvery, chaos))
            {
                return;
            }

            // Not the camera of a reader being stalled (its resume would never be seen): the next one.
            ChaosCamera camera = cameras[turn % cameras.Count];
            if (!busy.TryAdd(camera.Path, true))
            {
                camera = cameras[++turn % cameras.Count];
                if (!busy.TryAdd(camera.Path, true))
                {
                    continue;
                }
            }

            try
            {
                await camera.KillMidGopAsync();
                stats.Kills++;
                Assert.True(StreamId.TryCreate(camera.Path, out StreamId id));
                Assert.True(await Eventually.TrueAsync(() => !registry.TryGet(id, out _), TimeSpan.FromSeconds(15)), $"{camera.Path} outlived its publisher");

                // Away a little while, with its viewers knocking (404s), then back.
                await PauseAsync(TimeSpan.FromMilliseconds(random.Next(200, 1500)), CancellationToken.None);
                string size = camera.Heavy ? camera.Size : ChaosCamera.Sizes[camera.Starts % 2];
                await camera.StartAsync(size, CancellationToken.None);
            }
            finally
            {
                busy.TryRemove(camera.Path, out _);
            }
        }
    }

    /// <summary>The stalling readers in turn: stop reading until the server drops them, read on, and check where they resumed.</summary>
    private static async Task StallReadersAsync(List<ViewerSlot> stallers, StallStats stats, ConcurrentDictionary<string, bool> busy, CancellationToken chaos)
    {
        var counted = new HashSet<StallingRtspReader>();
        for (int turn = 0; !chaos.IsCancellationRequested; turn++)
        {
            if (!await PauseAsync(TimeSpan.FromSeconds(2), chaos))
            {
                break;
            }

            ViewerSlot slot = stallers[turn % stallers.Count];
            if (!busy.TryAdd(slot.Path, true))
            {
                continue;
            }

            try
            {
                if (slot.Current is not StallingRtspReader reader)
                {
                    continue;
                }

                int resumes = reader.Resumes;
                double resyncs = MetricsRegistry.ReaderResyncs.Value;
                stats.Stalls++;
                if (await reader.StallAsync(() => MetricsRegistry.ReaderResyncs.Value > resyncs, TimeSpan.FromSeconds(25)))
                {
                    stats.Lagged++;
                    await Eventually.TrueAsync(() => reader.Resumes > resumes || reader.Ended.IsCompleted, TimeSpan.FromSeconds(15));
                }

                counted.Add(reader);
            }
            finally
            {
                busy.TryRemove(slot.Path, out _);
            }
        }

        // Every reader connection that took part, with what it saw since it connected.
        foreach (StallingRtspReader reader in counted)
        {
            stats.Resumes += reader.Resumes;
            stats.ResumedAtKeyframe += reader.ResumesAtKeyframe;
            stats.Starts += reader.StartedAtKeyframe is null ? 0 : 1;
            stats.StartedAtKeyframe += reader.StartedAtKeyframe == true ? 1 : 0;
        }
    }

    /// <summary>Paces the chaos (not a timing assertion); false when the chaos is over.</summary>
    private static async Task<bool> PauseAsync(TimeSpan delay, CancellationToken token)
    {
        try
        {
            await Task.Delay(delay, token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Report(ChaosSettings settings, List<ViewerSlot> slots, List<ChaosCamera> cameras, RestartStats restarts, StallStats stalls,
        FaultCounters faults, MediaPacketPool pool, PeakMemory peak, long rssBefore, long heapBefore, TimeSpan ran)
    {
        var report = new StringBuilder();
        report.AppendLine($"chaos: {settings.Chaos.TotalSeconds:F0} s of chaos, {ran.TotalSeconds:F0} s in all; {cameras.Count} cameras, {slots.Count} viewers");
        foreach (ViewerSlot slot in slots)
        {
            report.AppendLine($"  {slot.Name,-28} own {slot.Tally.Own,6}  foreign {slot.Tally.Foreign}  specks {slot.Tally.Specks,3} (max {slot.Tally.MostForeignPatches}/16)" +
                $"  unclassified {slot.Tally.Unclassified,4}  connects {slot.Connects,3} (failed {slot.FailedConnects})");
        }

        report.AppendLine($"foreign frames (another camera's colour over half the picture): {slots.Sum(s => s.Tally.Foreign)}; " +
            $"frames with specks: {slots.Sum(s => s.Tally.Specks)} (lossless paths: {slots.Where(s => s.Lossless).Sum(s => s.Tally.Specks)}); own frames: {slots.Sum(s => s.Tally.Own)} (min per viewer {slots.Min(s => s.Tally.Own)}, required {settings.MinOwnFrames})");
        report.AppendLine($"isolation violations: {pool.Guard.Violations}");
        report.AppendLine($"faults injected: {faults}");
        report.AppendLine($"camera kills: {restarts.Kills}, resolution changes: {cameras.Sum(c => c.ResolutionChanges)}, starts: {cameras.Sum(c => c.Starts)}");
        report.AppendLine($"stalls: {stalls}");
        report.AppendLine($"server: reader resyncs {MetricsRegistry.ReaderResyncs.Value}, reader packets dropped {MetricsRegistry.ReaderDroppedPackets.Value}");
        report.AppendLine($"packet pool: size {PacketPoolSize}, allocated {pool.Allocated}, discarded {pool.Discarded}, outstanding {pool.Outstanding}");
        report.AppendLine($"memory: RSS {rssBefore / 1024 / 1024} MB before, peak {peak.Peak / 1024 / 1024} MB; managed heap {heapBefore / 1024 / 1024} MB before");
        output.WriteLine(report.ToString());
        Console.WriteLine(report.ToString());
        Assert.True(peak.Peak - rssBefore < 2048L * 1024 * 1024, $"RSS grew by {(peak.Peak - rssBefore) / 1024 / 1024} MB");
    }

    /// <summary>Packets a camera's bound address delivered that the server refused: a foreign SSRC, or a source nobody holds (the camera left meanwhile).</summary>
    private static double RefusedForeignPackets() =>
        MetricsRegistry.DroppedPackets.WithLabels("ssrc_mismatch").Value + MetricsRegistry.UnknownSourceDatagrams.WithLabels("rtsp_rtp").Value;

    private sealed class RestartStats
    {
        public int Kills { get; set; }
    }

    private sealed class StallStats
    {
        public int Stalls { get; set; }

        public int Lagged { get; set; }

        public int Resumes { get; set; }

        public int ResumedAtKeyframe { get; set; }

        public int Starts { get; set; }

        public int StartedAtKeyframe { get; set; }

        public override string ToString() =>
            $"{Stalls} stalls, {Lagged} made the server drop the reader; resumes {Resumes} ({ResumedAtKeyframe} at a keyframe); connection starts {Starts} ({StartedAtKeyframe} at a keyframe)";
    }

    /// <summary>The process's peak resident memory, sampled every second while the test runs.</summary>
    private sealed class PeakMemory
    {
        public long Peak { get; private set; }

        public async Task SampleAsync(CancellationToken stop)
        {
            using var process = Process.GetCurrentProcess();
            while (!stop.IsCancellationRequested)
            {
                process.Refresh();
                Peak = Math.Max(Peak, process.WorkingSet64);
                await PauseAsync(TimeSpan.FromSeconds(1), stop);
            }
        }
    }
}
