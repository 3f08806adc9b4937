namespace MediaServer.Core.Streams;

/// <summary>The configuration and label text of each <see cref="JoinMode"/>, without formatting an enum per use.</summary>
public static class JoinModeLabels
{
    private static readonly string[] Labels = ["catchup", "keyframe", "gop"];

    public static string Of(JoinMode mode) => (uint)mode < (uint)Labels.Length ? Labels[(int)mode] : "unknown";

    /// <summary>Reads a configured name, in any case.</summary>
    public static bool TryParse(string? name, out JoinMode mode)
    {
        for (int i = 0; i < Labels.Length; i++)
        {
            if (string.Equals(name, Labels[i], StringComparison.OrdinalIgnoreCase))
            {
                mode = (JoinMode)i;
                return true;
            }
        }

        mode = default;
        return false;
    }
}
