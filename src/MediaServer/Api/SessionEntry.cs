using MediaServer.Core.Access;
using MediaServer.Core.Streams;

namespace MediaServer.Api;

/// <summary>
/// One session of any protocol as the API sees it, taken from a snapshot. The stream reference
/// is kept only to match sessions to paths by identity (the same publication, not the same name).
/// </summary>
internal sealed record SessionEntry(
    string Id,
    string Protocol,
    MediaStream? Stream,
    string Mode,
    string Transport,
    string State,
    string? RemoteAddress,
    Principal Owner,
    DateTimeOffset CreatedAt,
    long PacketsSent,
    long BytesSent,
    long PacketsReceived,
    long BytesReceived,
    KeyframeRequestCounts? KeyframeRequests = null,
    string? JoinMode = null,
    double? JoinLagMs = null,
    long? ReportedPacketsLost = null)
{
    public const string Rtsp = "rtsp";

    public const string WebRtc = "webrtc";
}
