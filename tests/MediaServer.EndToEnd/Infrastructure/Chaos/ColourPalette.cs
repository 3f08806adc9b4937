namespace MediaServer.EndToEnd.Infrastructure.Chaos;

/// <summary>
/// The cameras' solid colours, chosen pairwise at least 127 apart in RGB so that a decoded patch
/// within <see cref="MatchDistance"/> of one colour cannot be near another: a foreign picture is
/// recognised as such, while concealment blur or grey junk stays "unclassified".
/// </summary>
internal static class ColourPalette
{
    /// <summary>Furthest (Euclidean, 0–255 per channel) a patch may be from a colour to count as it.</summary>
    public const double MatchDistance = 50;

    public static readonly IReadOnlyList<(string Name, byte R, byte G, byte B)> Colours =
    [
        ("red", 255, 0, 0),
        ("lime", 0, 255, 0),
        ("blue", 0, 0, 255),
        ("yellow", 255, 255, 0),
        ("cyan", 0, 255, 255),
        ("magenta", 255, 0, 255),
        ("white", 255, 255, 255),
        ("orange", 255, 128, 0),
    ];

    /// <summary>The lavfi <c>color=c=…</c> value of palette entry <paramref name="index"/>.</summary>
    public static string LavfiColour(int index)
    {
        (_, byte r, byte g, byte b) = Colours[index];
        return $"0x{r:X2}{g:X2}{b:X2}";
    }

    /// <summary>The palette index this RGB patch matches, or -1 when it is near none.</summary>
    public static int Classify(byte r, byte g, byte b)
    {
        for (int i = 0; i < Colours.Count; i++)
        {
            (_, byte cr, byte cg, byte cb) = Colours[i];
            double dr = r - cr, dg = g - cg, db = b - cb;
            if ((dr * dr) + (dg * dg) + (db * db) <= MatchDistance * MatchDistance)
            {
                return i;
            }
        }

        return -1;
    }
}
