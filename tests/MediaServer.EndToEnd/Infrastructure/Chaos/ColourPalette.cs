namespace MediaServer.EndToEnd.Infrastructure.Chaos;

/// <summary>
/// The cameras' solid colours, compared in the decoder's own YCbCr (BT.601, limited range), not
/// RGB. Every pair differs in luma by at least 20 and in chroma by at least 60, and a patch must
/// match a colour in both, so damage to one plane alone (the usual artefact of a lost packet: a
/// wrong chroma DC turns cyan into exactly lime in RGB) can never pass for another camera; a
/// picture from another camera matches in every plane and is caught.
/// </summary>
internal static class ColourPalette
{
    /// <summary>Largest luma difference still counted as the colour (half the smallest luma gap).</summary>
    public const double LumaTolerance = 8;

    /// <summary>Largest chroma (Cb, Cr) distance still counted as the colour.</summary>
    public const double ChromaTolerance = 25;

    public static readonly IReadOnlyList<(string Name, byte R, byte G, byte B)> Colours =
    [
        ("blue", 0, 0, 255),
        ("purple", 128, 0, 128),
        ("red", 255, 0, 0),
        ("magenta", 255, 0, 255),
        ("lime", 0, 255, 0),
        ("cyan", 0, 255, 255),
        ("yellow", 255, 255, 0),
        ("white", 255, 255, 255),
    ];

    private static readonly (double Y, double Cb, double Cr)[] Expected = [.. Colours.Select(c => ToYCbCr(c.R, c.G, c.B))];

    /// <summary>The lavfi <c>color=c=…</c> value of palette entry <paramref name="index"/>.</summary>
    public static string LavfiColour(int index)
    {
        (_, byte r, byte g, byte b) = Colours[index];
        return $"0x{r:X2}{g:X2}{b:X2}";
    }

    /// <summary>The palette index this patch matches in luma and chroma, or -1 when it matches none.</summary>
    public static int Classify(byte y, byte cb, byte cr)
    {
        for (int i = 0; i < Expected.Length; i++)
        {
            (double ey, double ecb, double ecr) = Expected[i];
            double dcb = cb - ecb, dcr = cr - ecr;
            if (Math.Abs(y - ey) <= LumaTolerance && (dcb * dcb) + (dcr * dcr) <= ChromaTolerance * ChromaTolerance)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>BT.601 limited range, as ffmpeg converts the lavfi colour for the encoder.</summary>
    private static (double Y, double Cb, double Cr) ToYCbCr(byte r, byte g, byte b) => (
        16 + (((65.481 * r) + (128.553 * g) + (24.966 * b)) / 255),
        128 + (((-37.797 * r) - (74.203 * g) + (112.0 * b)) / 255),
        128 + (((112.0 * r) - (93.786 * g) - (18.214 * b)) / 255));
}
