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
}
