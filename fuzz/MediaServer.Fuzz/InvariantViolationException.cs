namespace MediaServer.Fuzz;

/// <summary>
/// Thrown by a fuzz target when a parser accepted input but reported something its input cannot
/// support (a length past the end, a field that disagrees with the bytes). AFL counts any
/// unhandled exception as a crash, so this turns a silent inconsistency into a finding.
/// </summary>
public sealed class InvariantViolationException : Exception
{
    public InvariantViolationException()
    {
    }

    public InvariantViolationException(string message)
        : base(message)
    {
    }

    public InvariantViolationException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Fails the run with <paramref name="what"/> unless <paramref name="condition"/> holds.</summary>
    public static void Unless(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvariantViolationException(what);
        }
    }
}
