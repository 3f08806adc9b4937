using MediaServer.Core.Access;
using MediaServer.Core.Streams;

namespace MediaServer.Rtsp.Server;

/// <summary>A stream announced on a connection whose publisher has not yet sent SETUP.</summary>
internal sealed record PendingAnnounce(MediaStream Stream, StreamGrant Grant, string Path, string?[] Controls);
