namespace MediaServer.Core.Access;

/// <summary>
/// One entry of configuration section <c>Paths</c> (a list; the first entry whose name matches wins).
/// <see cref="Name"/> is a literal path, or a regular expression when it starts with '~'.
/// </summary>
public sealed class PathOptions
{
    public string Name { get; set; } = string.Empty;

    /// <summary>Whether anyone may publish this path.</summary>
    public bool Publish { get; set; } = true;

    /// <summary>Whether anyone may read this path.</summary>
    public bool Read { get; set; } = true;

    /// <summary>A new publisher replaces the current one instead of being refused.</summary>
    public bool OverridePublisher { get; set; }

    /// <summary>
    /// How RTSP readers of this path join mid-GOP (<c>catchup</c>, <c>keyframe</c> or <c>gop</c>);
    /// null or absent: <c>Rtsp:JoinMode</c>.
    /// </summary>
    public string? JoinMode { get; set; }

    /// <summary>
    /// Where the path's stream comes from: <c>publisher</c> (a client pushes it: RTSP ANNOUNCE or
    /// WHIP) or a camera URL the server pulls (<c>rtsp://user:password@host:port/path</c>,
    /// <c>rtsps://…</c>); in a regex path's URL <c>$G1</c>.. stand for the name's groups.
    /// </summary>
    public string Source { get; set; } = "publisher";

    /// <summary>Pull the source only while someone reads the path (a regex path's source always is).</summary>
    public bool SourceOnDemand { get; set; }

    /// <summary>How long a reader of an on-demand path waits for its source to start.</summary>
    public double SourceOnDemandStartTimeoutSeconds { get; set; } = 10;

    /// <summary>How long an on-demand source keeps running after its last reader left.</summary>
    public double SourceOnDemandCloseAfterSeconds { get; set; } = 10;

    /// <summary>How a pulled RTSP source carries media: <c>automatic</c> (UDP, then TCP), <c>tcp</c> or <c>udp</c>.</summary>
    public string SourceTransport { get; set; } = "automatic";
}
