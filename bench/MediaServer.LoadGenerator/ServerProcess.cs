using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MediaServer.LoadGenerator;

/// <summary>
/// The server under test, started as its own process so its CPU and memory are measured alone:
/// loopback only, ports picked at run time, limits raised for thousands of readers from one
/// address, session timeout longer than any run, logging at Warning.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, int rtspPort, int httpPort)
    {
        _process = process;
        RtspEndPoint = new IPEndPoint(IPAddress.Loopback, rtspPort);
        HttpBase = new Uri($"http://127.0.0.1:{httpPort}/");
    }

    public int Pid => _process.Id;

    public IPEndPoint RtspEndPoint { get; }

    public Uri HttpBase { get; }

    /// <param name="pulledSources">Paths the server pulls, and the camera URL of each; empty when cameras push.</param>
    public static async Task<ServerProcess> StartAsync(LoadOptions options, IReadOnlyList<(string Path, string Url)> pulledSources,
        HttpClient http, CancellationToken cancellationToken)
    {
        // A port picked free can be taken before the server binds it; then the server exits and
        // another pair of ports is tried.
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(options, pulledSources, http, cancellationToken);
            }
            catch (ServerExitedException) when (attempt < 3)
            {
            }
        }
    }

    private static async Task<ServerProcess> StartOnceAsync(LoadOptions options, IReadOnlyList<(string Path, string Url)> pulledSources,
        HttpClient http, CancellationToken cancellationToken)
    {
        string dll = options.ServerDll ?? FindServerDll();
        int rtspPort = FreeTcpPort();
        int httpPort = FreeTcpPort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (string argument in ServerArguments(rtspPort, httpPort, options, pulledSources))
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string key, string value) in options.ServerEnvironment)
        {
            start.Environment[key] = value;
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server.");
        process.OutputDataReceived += (_, e) => Echo(e.Data);
        process.ErrorDataReceived += (_, e) => Echo(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, rtspPort, httpPort);
        try
        {
            await server.WaitReadyAsync(http, cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitReadyAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new ServerExitedException($"The server exited with code {_process.ExitCode} before it was ready.");
            }

            try
            {
                using HttpResponseMessage response = await http.GetAsync(new Uri(HttpBase, "readyz"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException("The server did not become ready within 60 s.");
    }

    internal static IEnumerable<string> ServerArguments(int rtspPort, int httpPort, LoadOptions options,
        IReadOnlyList<(string Path, string Url)> pulledSources)
    {
        string[] settings =
        [
            "Rtsp:Address=127.0.0.1", $"Rtsp:Port={rtspPort}", "Rtsp:RtpPort=0", "Rtsp:SessionTimeoutSeconds=3600",
            "Http:Address=127.0.0.1", $"Http:Port={httpPort}",
            "WebRtc:UdpAddress=127.0.0.1", "WebRtc:UdpPort=0", "WebRtc:MaxSessions=100000", "WebRtc:MaxSessionsPerAddress=100000",
            "WebRtc:MaxSessionsPerPrincipal=100000",
            "WebRtc:ConsentTimeoutSeconds=3600",
            "Limits:MaxConnections=100000", "Limits:MaxConnectionsPerAddress=100000", "Limits:MaxProbeConnectionsPerAddress=100000",
            "Streams:MaxReadersPerPath=100000", "Streams:MaxPublishers=100000",
            "Metrics:Port=-1", "Logging:LogLevel:Default=Warning",
        ];
        return settings.Concat(PathSettings(options, pulledSources)).Concat(options.ServerSettings).Select(s => "--" + s);
    }

    /// <summary>
    /// One <c>Paths</c> entry per pulled camera (the first entries, so they win over the default
    /// file's catch-all, whose place they take), then a catch-all so every other path still works.
    /// </summary>
    private static IEnumerable<string> PathSettings(LoadOptions options, IReadOnlyList<(string Path, string Url)> pulledSources)
    {
        if (pulledSources.Count == 0)
        {
            yield break;
        }

        for (int i = 0; i < pulledSources.Count; i++)
        {
            yield return $"Paths:{i}:Name={pulledSources[i].Path}";
            yield return $"Paths:{i}:Source={pulledSources[i].Url}";
            yield return $"Paths:{i}:SourceTransport={options.SourceTransport}";
            if (options.SourceOnDemand)
            {
                yield return $"Paths:{i}:SourceOnDemand=true";
            }
        }

        yield return $"Paths:{pulledSources.Count}:Name=~^.+$";
    }

    private static string FindServerDll()
    {
        // The generator's own output is .../bench/MediaServer.LoadGenerator/bin/<Configuration>/<tfm>/;
        // the server's is the same under src/MediaServer.
        var baseDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = baseDirectory.Name;
        string configuration = baseDirectory.Parent!.Name;
        DirectoryInfo? root = baseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "MediaServer.sln")))
        {
            root = root.Parent;
        }

        string dll = Path.Combine(root?.FullName ?? ".", "src", "MediaServer", "bin", configuration, framework, "MediaServer.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the server first or pass --server-dll.", dll);
    }

    private static int FreeTcpPort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    private static void Echo(string? line)
    {
        if (!string.IsNullOrEmpty(line))
        {
            Console.Error.WriteLine("[server] " + line);
        }
    }
}
