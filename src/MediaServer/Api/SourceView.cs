using MediaServer.Core.Sources;

namespace MediaServer.Api;

/// <summary>A path's pulled source as <c>/v1/paths</c> shows it: its URL without the password, its state and its last error.</summary>
internal sealed record SourceView(
    string Url,
    string State,
    bool OnDemand,
    string? Transport,
    string? LastError,
    string? LastErrorReason,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? ReadySince,
    int FailedAttempts,
    long BytesReceived)
{
    public static SourceView From(SourceStatus status) => new(
        status.Url,
        SourceLabels.Of(status.State),
        status.OnDemand,
        status.Transport,
        status.LastError,
        status.LastErrorReason,
        status.NextAttemptAt,
        status.ReadySince,
        status.Attempts,
        status.BytesReceived);
}
