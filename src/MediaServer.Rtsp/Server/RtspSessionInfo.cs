using System.Net;
using MediaServer.Core.Access;
using MediaServer.Core.Streams;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// A read-only snapshot of one RTSP session for the operator's API: taken from the connection
/// that owns the session, never a handle that could be used to reach it.
/// </summary>
/// <param name="Id">The RTSP <c>Session</c> identifier.</param>
/// <param name="Mode"><c>setup</c>, <c>publish</c> or <c>read</c>.</param>
/// <param name="Transport"><c>tcp</c>, <c>udp</c> or <c>none</c> before SETUP chose one.</param>
/// <param name="Stream">The stream the session publishes or reads, if any.</param>
/// <param name="Owner">The principal that set the session up (the API shows its name).</param>
/// <param name="PacketsSent">RTP packets sent to a reader (0 for a publisher).</param>
/// <param name="BytesSent">RTP bytes sent to a reader (0 for a publisher).</param>
/// <param name="JoinMode">How the playing reader joined (<c>catchup</c>, <c>keyframe</c>, <c>gop</c>), or null.</param>
/// <param name="JoinLagMs">The playing reader's lag to live at join (see <c>JoinTimeline.LagSeconds</c>), or null until known.</param>
/// <param name="ReportedPacketsLost">What the playing reader's receiver reports say it lost since it started (join included), or null.</param>
public sealed record RtspSessionInfo(
    string Id,
    string ConnectionId,
    EndPoint? RemoteEndPoint,
    string Mode,
    string Transport,
    MediaStream? Stream,
    Principal Owner,
    DateTimeOffset CreatedAt,
    long PacketsSent,
    long BytesSent,
    string? JoinMode = null,
    double? JoinLagMs = null,
    long? ReportedPacketsLost = null);
