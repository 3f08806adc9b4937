using System.Text.RegularExpressions;

namespace MediaServer.Core.Access;

/// <summary>
/// Compiles the regular expression of a path rule or permission (the part after '~'). The
/// non-backtracking engine matches in time linear in the path, so a pattern can neither be made
/// slow by a crafted path nor time out when the machine is busy (a timeout would throw on the
/// request path). Constructs it lacks (backreferences, lookarounds) are refused at start-up.
/// </summary>
internal static class PathPattern
{
    public static Regex Compile(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (NotSupportedException e)
        {
            throw new ArgumentException($"'{pattern}' uses a construct path patterns do not support: {e.Message}", e);
        }
    }
}
