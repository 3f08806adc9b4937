using System.Text;

namespace MediaServer.Core.Sources;

/// <summary>
/// A regex path's source URL with <c>$G1</c>..<c>$G9</c> standing for the groups of the path name
/// that matched (<c>Name: "~^cam(\d+)$"</c>, <c>Source: "rtsp://nvr/ch$G1"</c>), as MediaMTX
/// users write it. The expanded text is parsed as a URL again, so the identity of what is pulled
/// is always the URL that results, whatever a group held.
/// </summary>
public static class SourceUrlTemplate
{
    public static bool HasGroups(string template)
    {
        for (int i = 0; i + 2 < template.Length; i++)
        {
            if (template[i] == '$' && template[i + 1] == 'G' && char.IsAsciiDigit(template[i + 2]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Replaces each <c>$G</c>n by <paramref name="group"/>(n); a group that did not take part is empty.</summary>
    public static string Expand(string template, Func<int, string> group)
    {
        var result = new StringBuilder(template.Length + 8);
        for (int i = 0; i < template.Length; i++)
        {
            if (template[i] == '$' && i + 2 < template.Length && template[i + 1] == 'G' && char.IsAsciiDigit(template[i + 2]))
            {
                result.Append(group(template[i + 2] - '0'));
                i += 2;
                continue;
            }

            result.Append(template[i]);
        }

        return result.ToString();
    }

    /// <summary>The URL for one path: its groups from <paramref name="groups"/> (index 0 is the whole match).</summary>
    public static string Expand(string template, System.Text.RegularExpressions.GroupCollection groups) =>
        Expand(template, n => n < groups.Count && groups[n].Success ? groups[n].Value : string.Empty);
}
