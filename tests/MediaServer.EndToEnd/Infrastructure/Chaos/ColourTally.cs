namespace MediaServer.EndToEnd.Infrastructure.Chaos;

/// <summary>
/// What one viewer decoded, over all its connections: frames of its own camera's colour, frames
/// showing any other camera's colour (the failure this test exists to catch), and frames too
/// damaged to say (loss concealment). A frame is a small grid of patches; one foreign patch makes
/// the whole frame foreign, so half a picture from another household is not averaged away.
/// </summary>
internal sealed class ColourTally(int ownColour)
{
    public const int GridSide = 4;
    public const int FrameBytes = GridSide * GridSide * 3;

    private long _own;
    private long _foreign;
    private long _unclassified;
    private string? _firstForeign;

    public int OwnColour { get; } = ownColour;

    public long Own => Interlocked.Read(ref _own);

    public long Foreign => Interlocked.Read(ref _foreign);

    public long Unclassified => Interlocked.Read(ref _unclassified);

    /// <summary>The first foreign frame seen, described, for the failure message.</summary>
    public string? FirstForeign => Volatile.Read(ref _firstForeign);

    /// <summary>One decoded frame, <see cref="GridSide"/>² RGB24 patches.</summary>
    public void Observe(ReadOnlySpan<byte> rgb)
    {
        int own = 0;
        for (int i = 0; i + 2 < rgb.Length; i += 3)
        {
            int colour = ColourPalette.Classify(rgb[i], rgb[i + 1], rgb[i + 2]);
            if (colour == OwnColour)
            {
                own++;
            }
            else if (colour >= 0)
            {
                Interlocked.Increment(ref _foreign);
                Interlocked.CompareExchange(ref _firstForeign,
                    $"patch {i / 3} was {ColourPalette.Colours[colour].Name} ({rgb[i]},{rgb[i + 1]},{rgb[i + 2]})", null);
                return;
            }
        }

        // Most of the picture must be clearly ours to count as a good frame of our own.
        if (own * 4 >= GridSide * GridSide * 3)
        {
            Interlocked.Increment(ref _own);
        }
        else
        {
            Interlocked.Increment(ref _unclassified);
        }
    }
}
