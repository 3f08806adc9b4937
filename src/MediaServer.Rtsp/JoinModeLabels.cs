namespace MediaServer.Rtsp;

/// <summary>The configuration and label text of each <see cref="JoinMode"/>, without formatting an enum per use.</summary>
public static class JoinModeLabels
{
    private static readonly string[] Labels = ["catchup", "keyframe", "gop"];

    public static string Of(JoinMode mode) => (uint)mode < (uint)Labels.Length ? Labels[(int)mode] : "unknown";
}
