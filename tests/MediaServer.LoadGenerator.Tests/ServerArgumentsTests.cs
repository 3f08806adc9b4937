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
        Dictionary<string, string> settings = ServerProcess.ServerArguments(8554, 8889, LoadOptions.Parse([]), [])
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

    [Fact]
    public void Pulled_cameras_are_the_first_path_entries_each_with_its_source_and_transport_then_a_catch_all()
    {
        LoadOptions options = LoadOptions.Parse(["--cameras", "2", "--camera-mode", "pull", "--source-transport", "udp"]);
        (string, string)[] sources = [("load/cam0", "rtsp://127.0.0.1:40000/cam0"), ("load/cam1", "rtsp://127.0.0.1:40000/cam1")];

        string[] paths = [.. ServerProcess.ServerArguments(8554, 8889, options, sources).Where(a => a.StartsWith("--Paths:", StringComparison.Ordinal))];

        Assert.Equal(
        [
            "--Paths:0:Name=load/cam0", "--Paths:0:Source=rtsp://127.0.0.1:40000/cam0", "--Paths:0:SourceTransport=udp",
            "--Paths:1:Name=load/cam1", "--Paths:1:Source=rtsp://127.0.0.1:40000/cam1", "--Paths:1:SourceTransport=udp",
            "--Paths:2:Name=~^.+$",
        ], paths);
        Assert.DoesNotContain(ServerProcess.ServerArguments(8554, 8889, LoadOptions.Parse([]), []), a => a.StartsWith("--Paths:", StringComparison.Ordinal));
    }

    [Fact]
    public void On_demand_every_pulled_camera_is_pulled_only_while_read()
    {
        LoadOptions options = LoadOptions.Parse(["--cameras", "2", "--camera-mode", "pull", "--source-on-demand"]);
        (string, string)[] sources = [("load/cam0", "rtsp://127.0.0.1:40000/cam0"), ("load/cam1", "rtsp://127.0.0.1:40000/cam1")];

        string[] arguments = [.. ServerProcess.ServerArguments(8554, 8889, options, sources)];

        Assert.Contains("--Paths:0:SourceOnDemand=true", arguments);
        Assert.Contains("--Paths:1:SourceOnDemand=true", arguments);
        Assert.DoesNotContain("--Paths:2:SourceOnDemand=true", arguments); // the catch-all pulls nothing
    }

    [Fact]
    public async Task The_server_starts_with_the_configuration_of_pulled_cameras()
    {
        // The server refuses unknown or malformed settings at start: this proves the generator's
        // Paths entries are ones this build of the server takes (it need not pull them for that).
        LoadOptions options = LoadOptions.Parse(["--cameras", "2", "--camera-mode", "pull", "--source-transport", "tcp", "--source-on-demand"]);
        (string, string)[] sources = [("load/cam0", "rtsp://127.0.0.1:9/cam0"), ("load/cam1", "rtsp://127.0.0.1:9/cam1")];
        using var http = new HttpClient();

        await using ServerProcess server = await ServerProcess.StartAsync(options, sources, http, CancellationToken.None);

        using HttpResponseMessage ready = await http.GetAsync(new Uri(server.HttpBase, "readyz"));
        Assert.True(ready.IsSuccessStatusCode);
    }
}
