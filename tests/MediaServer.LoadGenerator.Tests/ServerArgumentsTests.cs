using System.Globalization;
using System.Reflection;
using MediaServer.Core.Limits;
using MediaServer.WebRtc;

namespace MediaServer.LoadGenerator.Tests;

/// <summary>The generator connects thousands of readers from one address: no count limit of the server may stop it first.</summary>
public class ServerArgumentsTests
{
    [Fact]
    public void Every_connection_and_webrtc_session_count_limit_is_raised_for_thousands_of_readers_from_one_address()
    {
        Dictionary<string, string> settings = ServerProcess.ServerArguments(8554, 8889, LoadOptions.Parse([]))
            .Select(a => a.TrimStart('-').Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1], StringComparer.OrdinalIgnoreCase);
        string[] counts =
        [
            .. Limits("Limits", typeof(ConnectionLimits)),
            .. Limits("WebRtc", typeof(WebRtcOptions)),
        ];
        Assert.Contains("WebRtc:MaxSessionsPerAddress", counts);
        foreach (string key in counts)
        {
            Assert.True(settings.TryGetValue(key, out string? value), $"the generator leaves {key} at its default");
            Assert.True(int.Parse(value, CultureInfo.InvariantCulture) >= 10_000, $"{key}={value} is too low for a load run");
        }
    }

    // The bounds on how many of something the server holds: MaxConnections, MaxSessionsPerAddress, ...
    private static IEnumerable<string> Limits(string section, Type options) =>
        options.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType == typeof(int) && (p.Name.StartsWith("MaxConnections", StringComparison.Ordinal)
                || p.Name.StartsWith("MaxSessions", StringComparison.Ordinal) || p.Name.StartsWith("MaxProbeConnections", StringComparison.Ordinal)))
            .Select(p => $"{section}:{p.Name}");
}
