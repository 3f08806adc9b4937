namespace MediaServer.EndToEnd.Infrastructure.Chaos;

/// <summary>
/// What one viewer decoded, over all its connections. A frame is a small grid of patches, each
/// matched against the palette. A frame in which another camera's colour covers half the picture
/// or more is <see cref="Foreign"/>: another household's picture, the failure this test exists to
/// catch (a leaked keyframe or cached GOP shows whole, not as a dot). Fewer foreign-coloured
/// patches are <see cref="Specks"/>: loss damages a picture locally, and damaged macroblocks of a
/// lime picture can decode as cyan when no cyan camera exists (measured: one lime camera, eight
/// lossy RTSP/UDP viewers, 45 s: specks of up to 3 of 16 patches). On a lossless path (a TCP camera
/// read over TCP) the test allows no speck either. Most of the picture in its own
/// colour is <see cref="Own"/>; anything else is <see cref="Unclassified"/> (concealment, grey).
/// </summary>
internal sealed class ColourTally(int ownColour)
{
    public const int GridSide = 4;
    public const int FrameBytes = GridSide * GridSide * 3; // planar YUV 4:4:4

    /// <summary>Patches of one foreign colour that make a frame foreign: half the picture.</summary>
    public const int ForeignPatches = GridSide * GridSide / 2;

    private const int Patches = GridSide * GridSide;

    private readonly int[] _patchesOf = new int[ColourPalette.Colours.Count];
    private long _own;
    private long _foreign;
    private long _specks;
    private long _unclassified;
    private int _mostForeignPatches;
    private string? _firstForeign;

    public int OwnColour { get; } = ownColour;

    public long Own => Interlocked.Read(ref _own);

    public long Foreign => Interlocked.Read(ref _foreign);

    public long Specks => Interlocked.Read(ref _specks);

    public long Unclassified => Interlocked.Read(ref _unclassified);

    /// <summary>The most patches of one foreign colour seen in any frame (0 when none ever).</summary>
    public int MostForeignPatches => Volatile.Read(ref _mostForeignPatches);

    /// <summary>The first foreign frame seen, described, for the failure message.</summary>
    public string? FirstForeign => Volatile.Read(ref _firstForeign);

    /// <summary>One decoded frame: <see cref="GridSide"/>² patches as planar YUV 4:4:4 (all Y, then Cb, then Cr). One caller at a time.</summary>
    public void Observe(ReadOnlySpan<byte> yuv)
    {
        Array.Clear(_patchesOf);
        int worst = -1;
        for (int i = 0; i < Patches; i++)
        {
            int colour = ColourPalette.Classify(yuv[i], yuv[Patches + i], yuv[(2 * Patches) + i]);
            if (colour < 0)
            {
                continue;
            }

            _patchesOf[colour]++;
            if (colour != OwnColour && (worst < 0 || _patchesOf[colour] > _patchesOf[worst]))
            {
                worst = colour;
            }
        }

        int foreign = worst < 0 ? 0 : _patchesOf[worst];
        if (foreign > MostForeignPatches)
        {
            Volatile.Write(ref _mostForeignPatches, foreign);
        }

        if (foreign >= ForeignPatches)
        {
            Interlocked.Increment(ref _foreign);
            Interlocked.CompareExchange(ref _firstForeign, $"{foreign} of {Patches} patches were {ColourPalette.Colours[worst].Name}", null);
        }
        else if (foreign > 0)
        {
            Interlocked.Increment(ref _specks);
        }
        else if (_patchesOf[OwnColour] * 4 >= Patches * 3)
        {
            Interlocked.Increment(ref _own);
        }
        else
        {
            Interlocked.Increment(ref _unclassified);
        }
    }
}
