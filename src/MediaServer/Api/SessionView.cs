namespace MediaServer.Api;

/// <summary>One session as <c>GET /v1/sessions</c> shows it.</summary>
internal sealed record SessionView(
    string Id,
    string Protocol,
    string Path,
    string Mode,
    string Transport,
    string State,
    string? RemoteAddress,
    string Owner,
    DateTimeOffset Created,
    long PacketsSent,
    long BytesSent,
    long PacketsReceived,
    long BytesReceived,
    KeyframeRequestCounts? KeyframeRequests,
    string? JoinMode,
    double? JoinLagMs,
    long? ReportedPacketsLost)
{
    public static SessionView From(SessionEntry s) => new(
        s.Id,
        s.Protocol,
        s.Stream?.Id.Path ?? string.Empty,
        s.Mode,
        s.Transport,
        s.State,
        s.RemoteAddress,
        s.Owner.Name,
        s.CreatedAt,
        s.PacketsSent,
        s.BytesSent,
        s.PacketsReceived,
        s.BytesReceived,
        s.KeyframeRequests,
        s.JoinMode,
        s.JoinLagMs,
        s.ReportedPacketsLost);
}
