namespace MediaServer.Api;

/// <summary>
/// A WebRTC viewer's picture-loss requests (PLI/FIR): how many replayed the cached GOP, and how
/// many were left to the next live keyframe because the viewer already had the current one.
/// </summary>
internal sealed record KeyframeRequestCounts(long Replayed, long Deferred);
