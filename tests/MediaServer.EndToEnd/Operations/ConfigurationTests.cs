using MediaServer.Configuration;
using MediaServer.EndToEnd.Infrastructure;

namespace MediaServer.EndToEnd.Operations;

/// <summary>A configuration that explains itself: every mistake stops the server and names its key.</summary>
[Trait("Category", "EndToEnd")]
public class ConfigurationTests
{
    [Fact]
    public async Task Typos_bad_values_and_bad_rules_are_all_reported_by_key()
    {
        ConfigurationException e = await Assert.ThrowsAsync<ConfigurationException>(() => TestHost.StartAsync(
            "--Rtsp:Prot=9", "--Streams:ReaderQueuePackets=lots", "--Limits:MaxConnectionsPerAddress=0",
            "--Paths:0:Name=~([", "--Auth:Users:0:Name=a", "--Auth:Users:0:Permissions:0:Action=watch",
            "--WebRtc:UdpAddress=not-an-ip", "--Bogus:Key=1"));
        string[] keys = ["Rtsp:Prot", "Streams:ReaderQueuePackets", "Limits:MaxConnectionsPerAddress", "Paths", "Auth:Users", "WebRtc:UdpAddress", "Bogus"];
        foreach (string key in keys)
        {
            Assert.Contains(e.Errors, error => error.StartsWith(key, StringComparison.Ordinal) || error.Contains($"'{key}", StringComparison.Ordinal));
        }

        Assert.Equal(keys.Length, e.Errors.Count);
    }

    [Fact]
    public async Task The_per_address_and_per_principal_limits_must_be_positive_and_are_named()
    {
        ConfigurationException e = await Assert.ThrowsAsync<ConfigurationException>(() => TestHost.StartAsync(
            "--WebRtc:MaxSessionsPerAddress=0", "--WebRtc:MaxSessionsPerPrincipal=-1", "--Limits:MaxProbeConnectionsPerAddress=0"));
        string[] keys = ["WebRtc:MaxSessionsPerAddress", "WebRtc:MaxSessionsPerPrincipal", "Limits:MaxProbeConnectionsPerAddress"];
        foreach (string key in keys)
        {
            Assert.Contains(e.Errors, error => error.StartsWith(key + ": must be greater than 0", StringComparison.Ordinal));
        }

        Assert.Equal(keys.Length, e.Errors.Count);
    }

    [Fact]
    public async Task A_negative_stalled_reader_timeout_is_refused_by_key()
    {
        ConfigurationException e = await Assert.ThrowsAsync<ConfigurationException>(() => TestHost.StartAsync(
            "--Streams:StalledReaderTimeoutSeconds=-1"));
        string error = Assert.Single(e.Errors);
        Assert.StartsWith("Streams:StalledReaderTimeoutSeconds: must be 0", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Join_settings_out_of_range_are_refused_by_key()
    {
        ConfigurationException e = await Assert.ThrowsAsync<ConfigurationException>(() => TestHost.StartAsync(
            "--Rtsp:JoinMode=7", "--Rtsp:JoinReplayBytesPerSecond=1000", "--Rtsp:JoinReplayBurstBytes=10"));
        string[] keys = ["Rtsp:JoinMode: must be catchup, keyframe or gop", "Rtsp:JoinReplayBytesPerSecond: must be at least", "Rtsp:JoinReplayBurstBytes: must be between"];
        foreach (string key in keys)
        {
            Assert.Contains(e.Errors, error => error.StartsWith(key, StringComparison.Ordinal));
        }

        Assert.Equal(keys.Length, e.Errors.Count);
        ConfigurationException word = await Assert.ThrowsAsync<ConfigurationException>(() => TestHost.StartAsync("--Rtsp:JoinMode=instant"));
        Assert.Contains("Rtsp:JoinMode", Assert.Single(word.Errors), StringComparison.Ordinal);
        ConfigurationException path = await Assert.ThrowsAsync<ConfigurationException>(() => TestHost.StartAsync(
            "--Paths:0:Name=cam1", "--Paths:0:JoinMode=fast"));
        Assert.StartsWith("Paths: Path 'cam1': JoinMode 'fast' must be catchup, keyframe or gop", Assert.Single(path.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_executable_exits_with_code_2_and_says_which_key_is_wrong()
    {
        await using ServerProcess server = ServerProcess.Start("--Rtsp:SessionTimeoutSecond=30");
        Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(60)), server.Output);
        Assert.Equal(2, server.ExitCode);
        Assert.Contains("Rtsp:SessionTimeoutSecond: unknown key", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_jwt_secret_too_short_for_hs256_stops_the_server_with_code_2_naming_the_key()
    {
        await using ServerProcess server = ServerProcess.Start("--Auth:JwtSecret=only 31 bytes of secret, sorry.");
        Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(60)), server.Output);
        Assert.Equal(2, server.ExitCode);
        Assert.Contains("Auth:JwtSecret: must be at least 32 bytes (256 bits) for HS256, got 31", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("sorry", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_jwks_file_without_a_usable_key_is_a_configuration_error()
    {
        string jwks = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(jwks, """{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}""");
            ConfigurationException e = await Assert.ThrowsAsync<ConfigurationException>(() => TestHost.StartAsync($"--Auth:JwksPath={jwks}"));
            Assert.StartsWith("Auth:JwksPath: ", Assert.Single(e.Errors), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(jwks);
        }
    }

    [Fact]
    public async Task The_shipped_configuration_is_valid_and_health_and_readiness_answer()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.HttpPort}/") };
        Assert.Equal("ok\n", await http.GetStringAsync("healthz"));
        Assert.Equal("ready\n", await http.GetStringAsync("readyz"));
    }

    [Fact]
    public async Task Health_needs_no_credentials_when_authentication_is_on()
    {
        await using MediaServerHost host = await TestHost.StartAsync("--Auth:Users:0:Name=a", "--Auth:Users:0:Password=b", "--Auth:Users:0:Permissions:0:Action=api");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.HttpPort}/") };
        Assert.Equal("ok\n", await http.GetStringAsync("healthz"));
        Assert.Equal("ready\n", await http.GetStringAsync("readyz"));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await http.GetAsync("v1/paths")).StatusCode);
    }
}
