namespace MediaServer.Core.Sources;

/// <summary>A pulled source as the API shows it: a snapshot, never a live object.</summary>
/// <param name="Url">The URL with its password redacted.</param>
/// <param name="Transport">How media travels while ready (<c>tcp</c>, <c>udp</c>, <c>tls</c>); null otherwise.</param>
/// <param name="LastError">The last failure in words; null before any.</param>
/// <param name="LastErrorReason">Its reason label (<see cref="SourceLabels.Of"/>).</param>
/// <param name="NextAttemptAt">While retrying: when the next attempt starts.</param>
/// <param name="Attempts">Failed attempts in a row (0 once ready).</param>
public sealed record SourceStatus(
    string Url,
    SourceState State,
    bool OnDemand,
    string? Transport,
    string? LastError,
    string? LastErrorReason,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? ReadySince,
    int Attempts,
    long BytesReceived);
