namespace MediaServer.Api;

/// <summary>
/// Readers of a path: <see cref="Total"/> is every subscriber of the stream, the others count
/// the sessions that are playing per protocol.
/// </summary>
internal sealed record ReaderCounts(int Total, int Rtsp, int WebRtc);
