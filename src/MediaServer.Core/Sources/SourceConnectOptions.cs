namespace MediaServer.Core.Sources;

/// <summary>What one attempt to open a source is allowed: its transport and its timeouts.</summary>
public sealed record SourceConnectOptions
{
    public SourceTransport Transport { get; init; } = SourceTransport.Automatic;

    /// <summary>Each step: the TCP (and TLS) connect, and every request's answer.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>While playing: no packet for this long fails the attempt (<see cref="SourceFailureReason.NoMedia"/>).</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Automatic transport: no UDP packet this long after PLAY, and the attempt goes over TCP instead.</summary>
    public TimeSpan UdpFallbackAfter { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Receiver reports to the camera this often.</summary>
    public TimeSpan ReceiverReportInterval { get; init; } = TimeSpan.FromSeconds(5);
}
