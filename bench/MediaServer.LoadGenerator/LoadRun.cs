using System.Diagnostics;
using System.Text.Json;

namespace MediaServer.LoadGenerator;

/// <summary>
/// One run: start the server, connect cameras (or, pulled, serve them and let the server connect)
/// and start sending, connect readers, let it settle, then measure for the set duration and report.
/// </summary>
internal sealed class LoadRun
{
    private readonly LoadOptions _options;
    private readonly LatencyHistogram _latency = new();
    private readonly LatencyHistogram _predictedLatency = new();
    private readonly List<ICamera> _cameras = [];
    private readonly List<IReader> _readers = [];
    private int _connectFailures;

    public LoadRun(LoadOptions options) => _options = options;

    public async Task<LoadReport> RunAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, UseProxy = false })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        var stream = new SyntheticH264(_options.BitrateKbps, _options.FramesPerSecond, _options.GopSeconds, maxPayload: 1188);

        // Pulled cameras are up and streaming before the server starts, as cameras on a network are;
        // the server is told where each one is.
        List<PulledCamera> pulled = _options.PullsCameras ? [.. PulledCameras(stream)] : [];
        _cameras.AddRange(pulled);
        await using CameraRtspServer? cameraServer = _options.PullsCameras ? CameraRtspServer.Start(pulled) : null;
        List<(string Path, string Url)> sources = [.. pulled.Select(c => (c.Path, cameraServer!.Url(c)))];
        var pacer = new CameraPacer(_cameras, _options.FramesPerSecond);
        try
        {
            if (_options.PullsCameras && !_options.Idle)
            {
                pacer.Start();
            }

            await using ServerProcess server = await ServerProcess.StartAsync(_options, sources, http, cancellationToken);
            Console.Error.WriteLine($"server: rtsp://{server.RtspEndPoint}/, {server.HttpBase}" +
                (cameraServer is null ? string.Empty : $"; cameras: rtsp://{cameraServer.EndPoint}/cam0 .. cam{pulled.Count - 1}"));
            if (!_options.PullsCameras)
            {
                await ConnectPublishersAsync(server, stream, cancellationToken);
                if (!_options.Idle)
                {
                    pacer.Start();
                }
            }
            else if (!_options.SourceOnDemand)
            {
                // On demand, instead, the first reader of a path makes the server pull its camera.
                await WaitUntilPulledAsync(pulled, server, http, cancellationToken);
            }

            return await MeasureAsync(server, http, pacer, cancellationToken);
        }
        finally
        {
            pacer.Stop();
        }
    }

    private IEnumerable<PulledCamera> PulledCameras(SyntheticH264 stream)
    {
        for (int i = 0; i < _options.Cameras; i++)
        {
            yield return new PulledCamera($"cam{i}", $"load/cam{i}", stream, GopPhase(i, stream));
        }
    }

    private async Task ConnectPublishersAsync(ServerProcess server, SyntheticH264 stream, CancellationToken cancellationToken)
    {
        for (int i = 0; i < _options.Cameras; i++)
        {
            _cameras.Add(await CameraPublisher.ConnectAsync(server.RtspEndPoint, $"load/cam{i}", stream, GopPhase(i, stream), cancellationToken));
        }
    }

    // Cameras' GOPs are spread evenly over a GOP, so their keyframes do not line up.
    private int GopPhase(int camera, SyntheticH264 stream) => (int)((long)camera * stream.FramesPerGop / _options.Cameras);

    /// <summary>
    /// Waits until the server plays every camera (it pulls them when it starts) and lists each
    /// camera's path as published (<c>GET /v1/paths</c>), so readers do not ask before it is there.
    /// </summary>
    private static async Task WaitUntilPulledAsync(IReadOnlyList<PulledCamera> cameras, ServerProcess server, HttpClient http,
        CancellationToken cancellationToken)
    {
        TimeSpan limit = TimeSpan.FromSeconds(30 + 0.1 * cameras.Count);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            int playing = cameras.Count(c => c.PlayingSessions > 0);
            int published = 0;
            if (playing == cameras.Count)
            {
                HashSet<string> paths = await PublishedPathsAsync(http, server.HttpBase, cancellationToken);
                published = cameras.Count(c => paths.Contains(c.Path));
                if (published == cameras.Count)
                {
                    break;
                }
            }

            if (clock.Elapsed > limit)
            {
                throw new TimeoutException(
                    $"After {limit.TotalSeconds:F0} s the server plays {playing} of {cameras.Count} pulled cameras and publishes {published} of their paths: " +
                    "does this build pull Paths:N:Source? (its log is above)");
            }

            await Task.Delay(100, cancellationToken);
        }

        Console.Error.WriteLine($"the server pulls all {cameras.Count} camera(s) after {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task<HashSet<string>> PublishedPathsAsync(HttpClient http, Uri server, CancellationToken cancellationToken)
    {
        using JsonDocument paths = JsonDocument.Parse(await http.GetStringAsync(new Uri(server, "v1/paths"), cancellationToken));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonElement path in paths.RootElement.EnumerateArray())
        {
            foreach (JsonProperty property in path.EnumerateObject())
            {
                if (property.NameEquals("name") || property.NameEquals("Name"))
                {
                    names.Add(property.Value.GetString() ?? string.Empty);
                }
            }
        }

        return names;
    }

    private async Task<LoadReport> MeasureAsync(ServerProcess server, HttpClient http, CameraPacer pacer, CancellationToken cancellationToken)
    {
        // Let the first keyframes reach the cache so readers start at once.
        await Task.Delay(TimeSpan.FromSeconds(_options.Idle ? 1 : _options.GopSeconds + 0.5), cancellationToken);
        ProcessSample beforeReaders = ProcessSample.Read(server.Pid);
        ServerMetrics metricsBeforeReaders = await ServerMetrics.ScrapeAsync(http, server.HttpBase, cancellationToken);
        Console.Error.WriteLine($"{_cameras.Count} camera(s) {(_options.PullsCameras ? "pulled" : "publishing")}; connecting {_options.TotalReaders} reader(s)...");
        await ConnectReadersAsync(server, http, cancellationToken);
        Console.Error.WriteLine($"{_readers.Count} reader(s) connected, {_connectFailures} failed; warming up {_options.WarmupSeconds} s...");
        if (_options.SourceOnDemand)
        {
            Console.Error.WriteLine($"on demand: the server plays {_cameras.OfType<PulledCamera>().Count(c => c.PlayingSessions > 0)} of {_cameras.Count} camera(s)");
        }

        using var keepAlive = new Timer(_ => KeepAlive(), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        await Task.Delay(TimeSpan.FromSeconds(_options.WarmupSeconds), cancellationToken);

        await using LoopbackFloor floor = await LoopbackFloor.StartAsync();
        Totals start = Totals.Of(_cameras, _readers);
        _latency.Reset();
        _predictedLatency.Reset();
        ServerMetrics metricsStart = await ServerMetrics.ScrapeAsync(http, server.HttpBase, cancellationToken);
        ProcessSample serverStart = ProcessSample.Read(server.Pid);
        ProcessSample selfStart = ProcessSample.Read(Environment.ProcessId);
        await Task.Delay(TimeSpan.FromSeconds(_options.DurationSeconds), cancellationToken);
        ProcessSample serverEnd = ProcessSample.Read(server.Pid);
        ProcessSample selfEnd = ProcessSample.Read(Environment.ProcessId);
        ServerMetrics metricsEnd = await ServerMetrics.ScrapeAsync(http, server.HttpBase, cancellationToken);
        Totals end = Totals.Of(_cameras, _readers);

        pacer.Stop();
        LoadReport report = Report(start, end, serverStart, serverEnd, selfStart, selfEnd, beforeReaders,
            metricsBeforeReaders, metricsStart, metricsEnd, pacer, floor.Latency);
        await Task.WhenAll(_readers.Select(r => r.DisposeAsync().AsTask()));
        await Task.WhenAll(_cameras.Select(c => c.DisposeAsync().AsTask()));
        return report;
    }

    private async Task ConnectReadersAsync(ServerProcess server, HttpClient http, CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(_options.ConnectConcurrency);
        var tasks = new List<Task>();
        string? firstError = null;
        for (int r = 0; r < _options.ReadersPerCamera; r++)
        {
            for (int c = 0; c < _cameras.Count; c++)
            {
                string transport = _options.Transports[(r * _cameras.Count + c) % _options.Transports.Count];
                string path = _cameras[c].Path;
                await gate.WaitAsync(cancellationToken);
                tasks.Add(Task.Run(async () =>
                {
                    try
                    {
                        var counters = new ReaderCounters(_latency, _predictedLatency);
                        IReader reader = transport switch
                        {
                            "rtsp-udp" => await RtspUdpReader.ConnectAsync(server.RtspEndPoint, path, counters, cancellationToken),
                            "webrtc" => await WebRtcReader.ConnectAsync(http, server.HttpBase, path, counters, cancellationToken),
                            _ => await RtspTcpReader.ConnectAsync(server.RtspEndPoint, path, counters, cancellationToken),
                        };
                        lock (_readers)
                        {
                            _readers.Add(reader);
                        }
                    }
                    catch (Exception e)
                    {
                        Interlocked.Increment(ref _connectFailures);
                        Interlocked.CompareExchange(ref firstError, $"{transport} {path}: {e.GetType().Name}: {e.Message}", null);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }, cancellationToken));
            }
        }

        await Task.WhenAll(tasks);
        if (firstError is not null)
        {
            Console.Error.WriteLine("first reader failure: " + firstError);
        }
    }

    private void KeepAlive()
    {
        foreach (IReader reader in _readers)
        {
            try
            {
                reader.KeepAlive();
            }
            catch (Exception)
            {
                // Counted by the reader when its connection breaks.
            }
        }
    }

    private LoadReport Report(Totals start, Totals end, ProcessSample serverStart, ProcessSample serverEnd,
        ProcessSample selfStart, ProcessSample selfEnd, ProcessSample beforeReaders,
        ServerMetrics metricsBeforeReaders, ServerMetrics metricsStart, ServerMetrics metricsEnd, CameraPacer pacer,
        LatencyHistogram floor)
    {
        double seconds = (serverEnd.Taken - serverStart.Taken) / (double)Stopwatch.Frequency;
        double forwardedMbit = (end.ReaderBytes - start.ReaderBytes) * 8 / 1e6 / seconds;
        double serverCores = ProcessSample.CoresUsed(serverStart, serverEnd);
        int readers = Math.Max(1, _readers.Count);
        const string Heap = "dotnet_total_memory_bytes";
        return new LoadReport
        {
            Name = _options.Name.Length > 0 ? _options.Name : "load",
            Cameras = _options.Cameras,
            CameraMode = _options.CameraMode,
            SourceTransport = _options.PullsCameras ? _options.SourceTransport : null,
            SourceOnDemand = _options.SourceOnDemand,
            CameraPlays = _cameras.OfType<PulledCamera>().Sum(c => c.Plays),
            ReadersPerCamera = _options.ReadersPerCamera,
            Transports = string.Join(',', _options.Transports),
            BitrateKbps = _options.BitrateKbps,
            FramesPerSecond = _options.FramesPerSecond,
            GopSeconds = _options.GopSeconds,
            Idle = _options.Idle,
            MeasuredSeconds = seconds,
            ReadersConnected = _readers.Count,
            ReaderConnectFailures = _connectFailures,
            IngestPacketsPerSecond = (end.CameraPackets - start.CameraPackets) / seconds,
            IngestMbitPerSecond = (end.CameraBytes - start.CameraBytes) * 8 / 1e6 / seconds,
            ForwardedPacketsPerSecond = (end.ReaderPackets - start.ReaderPackets) / seconds,
            ForwardedMbitPerSecond = forwardedMbit,
            LatencySamples = _latency.Count,
            LatencyP50Microseconds = _latency.ValueAt(0.50) / 1000.0,
            LatencyP99Microseconds = _latency.ValueAt(0.99) / 1000.0,
            LatencyP999Microseconds = _latency.ValueAt(0.999) / 1000.0,
            PredictedFrameLatencyP50Microseconds = _predictedLatency.ValueAt(0.50) / 1000.0,
            PredictedFrameLatencyP99Microseconds = _predictedLatency.ValueAt(0.99) / 1000.0,
            FloorP50Microseconds = floor.ValueAt(0.50) / 1000.0,
            FloorP99Microseconds = floor.ValueAt(0.99) / 1000.0,
            ServerLatencyP50Microseconds = ServerMetrics.LatencyQuantile(metricsStart, metricsEnd, 0.50) * 1e6,
            ServerLatencyP99Microseconds = ServerMetrics.LatencyQuantile(metricsStart, metricsEnd, 0.99) * 1e6,
            PacketsLost = end.Lost - start.Lost,
            ServerDroppedPackets = metricsEnd.Sum("mediaserver_reader_dropped_packets_total") - metricsStart.Sum("mediaserver_reader_dropped_packets_total"),
            IsolationViolations = metricsEnd.Sum("mediaserver_isolation_violations_total"),
            Errors = end.Errors + pacer.Errors + end.CameraSendFailures,
            LateFrames = pacer.LateFrames,
            ServerCpuCores = serverCores,
            ServerCpuCoresPerGbit = forwardedMbit > 0 ? serverCores / (forwardedMbit / 1000) : 0,
            ServerRssBytes = serverEnd.RssBytes,
            ServerRssBeforeReadersBytes = beforeReaders.RssBytes,
            ServerRssPerReaderBytes = (serverEnd.RssBytes - beforeReaders.RssBytes) / readers,
            ServerManagedHeapPerReaderBytes = (metricsEnd.Sum(Heap) - metricsBeforeReaders.Sum(Heap)) / readers,
            ServerThreads = serverEnd.Threads,
            GeneratorCpuCores = ProcessSample.CoresUsed(selfStart, selfEnd),
        };
    }

    /// <summary>Counters summed over every camera and reader at one moment.</summary>
    private readonly record struct Totals(long CameraPackets, long CameraBytes, long CameraSendFailures, long ReaderPackets, long ReaderBytes, long Lost, long Errors)
    {
        public static Totals Of(IReadOnlyList<ICamera> cameras, IReadOnlyList<IReader> readers)
        {
            long cameraPackets = 0, cameraBytes = 0, cameraSendFailures = 0, packets = 0, bytes = 0, lost = 0, errors = 0;
            foreach (ICamera camera in cameras)
            {
                cameraPackets += camera.PacketsSent;
                cameraBytes += camera.BytesSent;
                cameraSendFailures += (camera as PulledCamera)?.SendFailures ?? 0;
            }

            foreach (IReader reader in readers)
            {
                packets += reader.Counters.Packets;
                bytes += reader.Counters.Bytes;
                lost += reader.Counters.Lost;
                errors += reader.Errors;
            }

            return new Totals(cameraPackets, cameraBytes, cameraSendFailures, packets, bytes, lost, errors);
        }
    }
}
