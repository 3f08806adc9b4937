namespace MediaServer.Core.Sources;

/// <summary>The words for states and failure reasons in metrics labels and the API.</summary>
public static class SourceLabels
{
    public static string Of(SourceFailureReason reason) => reason switch
    {
        SourceFailureReason.Unreachable => "unreachable",
        SourceFailureReason.Timeout => "timeout",
        SourceFailureReason.Unauthorized => "unauthorized",
        SourceFailureReason.NotFound => "not_found",
        SourceFailureReason.Refused => "refused",
        SourceFailureReason.Protocol => "protocol",
        SourceFailureReason.UnsupportedMedia => "unsupported_media",
        SourceFailureReason.NoMedia => "no_media",
        SourceFailureReason.Ended => "ended",
        SourceFailureReason.PublishRefused => "publish_refused",
        _ => "other",
    };

    public static string Of(SourceState state) => state switch
    {
        SourceState.Idle => "idle",
        SourceState.Connecting => "connecting",
        SourceState.Ready => "ready",
        SourceState.Retrying => "retrying",
        _ => "other",
    };
}
