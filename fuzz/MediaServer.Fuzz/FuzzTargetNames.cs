namespace MediaServer.Fuzz;

/// <summary>
/// The target names alone, in a type of their own so that checking a name runs no product code:
/// in the instrumented build, product code that runs before SharpFuzz has mapped AFL's coverage
/// memory (static initialisers included) crashes the process.
/// </summary>
public static class FuzzTargetNames
{
    public static IReadOnlyList<string> All { get; } = ["rtsp", "sdp", "rtp", "rtcp", "h264", "h265", "aac", "stun", "whep"];
}
