using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MediaServer.EndToEnd.Operations;

/// <summary>
/// The server as an operator runs it: <c>dotnet MediaServer.dll</c> in its own process, on free
/// loopback ports picked here (a process cannot report ports it chose itself), with its console
/// output kept, signals sent with <c>kill</c>, and the process killed on dispose if still alive.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, int rtspPort, int httpPort)
    {
        _process = process;
        RtspPort = rtspPort;
        HttpPort = httpPort;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int RtspPort { get; }

    public int HttpPort { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static ServerProcess Start(params string[] extra)
    {
        int rtsp = FreeTcpPort();
        int http = FreeTcpPort();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        string[] arguments =
        [
            Path.Combine(AppContext.BaseDirectory, "MediaServer.dll"),
            "--Rtsp:Address=127.0.0.1", $"--Rtsp:Port={rtsp}", "--Rtsp:RtpPort=0",
            "--Http:Address=127.0.0.1", $"--Http:Port={http}", "--WebRtc:UdpAddress=127.0.0.1", "--WebRtc:UdpPort=0",
            .. extra,
        ];
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return new ServerProcess(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start"), rtsp, http);
    }

    /// <summary>Waits until the output holds <paramref name="text"/>, the process exits, or the deadline passes.</summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan deadline)
    {
        DateTime until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until)
        {
            if (Output.Contains(text, StringComparison.Ordinal))
            {
                return true;
            }

            if (_process.HasExited)
            {
                await _process.WaitForExitAsync();
                return Output.Contains(text, StringComparison.Ordinal);
            }

            await Task.Delay(50);
        }

        return false;
    }

    public async Task<bool> WaitForExitAsync(TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGTERM, as systemd and Kubernetes stop a service.</summary>
    public void Terminate()
    {
        using Process kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
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

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
