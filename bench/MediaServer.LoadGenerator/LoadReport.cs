using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MediaServer.LoadGenerator;

/// <summary>One run's figures: what was offered, what arrived, what it cost the server.</summary>
internal sealed record LoadReport
{
    public required string Name { get; init; }
    public required int Cameras { get; init; }

    /// <summary>push (cameras publish to the server) or pull (the server pulls them from the generator).</summary>
    public required string CameraMode { get; init; }

    /// <summary>How the server pulled (tcp, udp, automatic); null when cameras pushed.</summary>
    public required string? SourceTransport { get; init; }

    /// <summary>Pulled only while read (<c>Paths:N:SourceOnDemand</c>).</summary>
    public required bool SourceOnDemand { get; init; }

    /// <summary>PLAYs the pulled cameras answered over the whole run: one per camera unless the server reconnected.</summary>
    public required long CameraPlays { get; init; }
    public required int ReadersPerCamera { get; init; }
    public required string Transports { get; init; }
    public required int BitrateKbps { get; init; }
    public required int FramesPerSecond { get; init; }
    public required double GopSeconds { get; init; }
    public required bool Idle { get; init; }
    public required double MeasuredSeconds { get; init; }
    public required int ReadersConnected { get; init; }
    public required int ReaderConnectFailures { get; init; }
    public required double IngestPacketsPerSecond { get; init; }
    public required double IngestMbitPerSecond { get; init; }
    public required double ForwardedPacketsPerSecond { get; init; }
    public required double ForwardedMbitPerSecond { get; init; }
    public required long LatencySamples { get; init; }
    public required double LatencyP50Microseconds { get; init; }
    public required double LatencyP99Microseconds { get; init; }
    public required double LatencyP999Microseconds { get; init; }
    public required double PredictedFrameLatencyP50Microseconds { get; init; }
    public required double PredictedFrameLatencyP99Microseconds { get; init; }
    public required double FloorP50Microseconds { get; init; }
    public required double FloorP99Microseconds { get; init; }
    public required double ServerLatencyP50Microseconds { get; init; }
    public required double ServerLatencyP99Microseconds { get; init; }
    public required long PacketsLost { get; init; }
    public required double ServerDroppedPackets { get; init; }
    public required double IsolationViolations { get; init; }
    public required long Errors { get; init; }
    public required long LateFrames { get; init; }
    public required double ServerCpuCores { get; init; }
    public required double ServerCpuCoresPerGbit { get; init; }
    public required long ServerRssBytes { get; init; }
    public required long ServerRssBeforeReadersBytes { get; init; }
    public required long ServerRssPerReaderBytes { get; init; }
    public required double ServerManagedHeapPerReaderBytes { get; init; }
    public required int ServerThreads { get; init; }
    public required double GeneratorCpuCores { get; init; }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public string ToTable()
    {
        var table = new StringBuilder();
        void Row(string name, string value) => table.Append(CultureInfo.InvariantCulture, $"  {name,-34} {value}\n");
        table.Append(CultureInfo.InvariantCulture,
            $"{Name}: {Cameras} {(CameraMode == "pull" ? $"pulled (RTSP, SourceTransport {SourceTransport}{(SourceOnDemand ? ", on demand" : "")})" : "pushed (RTSP/TCP)")} camera(s) x {ReadersPerCamera} reader(s) over {Transports}, {BitrateKbps} kbit/s, {FramesPerSecond} fps, GOP {GopSeconds} s{(Idle ? ", idle" : "")}; {MeasuredSeconds:F0} s measured\n");
        if (CameraMode == "pull")
        {
            Row("pulled cameras: PLAYs answered", $"{CameraPlays} for {Cameras} camera(s) (more: the server reconnected)");
        }

        Row("readers connected", $"{ReadersConnected} ({ReaderConnectFailures} failed)");
        Row("ingest", $"{IngestPacketsPerSecond:N0} pkt/s, {IngestMbitPerSecond:F1} Mbit/s");
        Row("forwarded (received by readers)", $"{ForwardedPacketsPerSecond:N0} pkt/s, {ForwardedMbitPerSecond:F1} Mbit/s");
        Row("latency p50 / p99 / p99.9 (readers)", $"{LatencyP50Microseconds:F0} / {LatencyP99Microseconds:F0} / {LatencyP999Microseconds:F0} us ({LatencySamples:N0} samples)");
        Row("latency p50 / p99, P-frame packets", $"{PredictedFrameLatencyP50Microseconds:F0} / {PredictedFrameLatencyP99Microseconds:F0} us (keyframe bursts excluded)");
        Row("loopback floor p50 / p99 (no server)", $"{FloorP50Microseconds:F0} / {FloorP99Microseconds:F0} us (same hops through a trivial relay)");
        Row("server's own egress latency p50/p99", $"<= {Bound(ServerLatencyP50Microseconds)} / <= {Bound(ServerLatencyP99Microseconds)} us (histogram bucket)");
        Row("lost at readers / dropped by server", $"{PacketsLost:N0} / {ServerDroppedPackets:N0}");
        Row("errors / late frames / isolation", $"{Errors} / {LateFrames} / {IsolationViolations}");
        Row("server CPU", $"{ServerCpuCores * 100:F0} % of one core ({ServerCpuCoresPerGbit:F2} cores per forwarded Gbit/s)");
        Row("server RSS", $"{ServerRssBytes / 1048576.0:F0} MiB ({ServerRssBeforeReadersBytes / 1048576.0:F0} MiB before readers; {ServerRssPerReaderBytes / 1024.0:F1} KiB per reader)");
        Row("server managed heap per reader", $"{ServerManagedHeapPerReaderBytes / 1024.0:F1} KiB");
        Row("server threads", ServerThreads.ToString(CultureInfo.InvariantCulture));
        Row("generator CPU", $"{GeneratorCpuCores * 100:F0} % of one core");
        return table.ToString();
    }

    private static string Bound(double microseconds) =>
        double.IsPositiveInfinity(microseconds) ? "inf" : microseconds.ToString("F0", CultureInfo.InvariantCulture);
}
