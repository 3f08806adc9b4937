namespace MediaServer.Fuzzing.Tests.Generators;

/// <summary>
/// Iteration counts, chosen so the whole project runs in well under a minute on two cores: cheap
/// binary parsers get many samples, text parsers and whole-session set-up fewer. Raise them
/// locally (or run the fuzz targets) for a deeper search; CI runs these on every submission.
/// </summary>
internal static class Budget
{
    /// <summary>Span parsers over short inputs: microseconds each.</summary>
    public const int Cheap = 3000;

    /// <summary>Text parsers and round trips that allocate strings and lists.</summary>
    public const int Text = 800;

    /// <summary>Properties that build whole answers or sessions.</summary>
    public const int Heavy = 150;
}
