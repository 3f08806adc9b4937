using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace MediaServer.EndToEnd.Infrastructure;

/// <summary>
/// An IP camera the server pulls from: GStreamer's RTSP server (Scripts/gst_rtsp_camera.py, run by
/// the system python, which has gi) serving one mount of one solid colour as H.264, over UDP and
/// TCP (or TCP only), optionally behind Digest or Basic. Counts the RTSP connections made to it.
/// </summary>
internal sealed class GstRtspCamera : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<int> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;
    private int _opened;
    private int _closed;
    private int _stopped;

    private GstRtspCamera(Process process, string mount)
    {
        _process = process;
        Mount = mount;
        _stdoutPump = PumpStdoutAsync();
        _stderrPump = PumpStderrAsync();
    }

    public int Port { get; private set; }

    /// <summary>The mount path, with its leading slash.</summary>
    public string Mount { get; }

    /// <summary>The camera's URL, without credentials.</summary>
    public string Url => $"rtsp://127.0.0.1:{Port}{Mount}";

    /// <summary>RTSP connections the camera has accepted so far.</summary>
    public int ConnectionsOpened => Volatile.Read(ref _opened);

    /// <summary>RTSP connections open on the camera now.</summary>
    public int ConnectionsOpen => Volatile.Read(ref _opened) - Volatile.Read(ref _closed);

    public bool HasExited => _process.HasExited;

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <param name="colour">RGB as six hex digits (<c>ff0000</c> is red).</param>
    /// <param name="port">0: a free port; a port given again restarts "the same camera" after <see cref="StopAsync"/>.</param>
    /// <param name="auth"><c>digest</c> or <c>basic</c>, with <paramref name="user"/>.</param>
    public static async Task<GstRtspCamera> StartAsync(
        string colour = "ff0000", int port = 0, string mount = "/cam", string? user = null, string? password = null,
        string auth = "digest", bool tcpOnly = false)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "Scripts", "gst_rtsp_camera.py");
        var info = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(script);
        foreach (string argument in (string[])["--port", port.ToString(CultureInfo.InvariantCulture), "--mount", mount, "--colour", colour])
        {
            info.ArgumentList.Add(argument);
        }

        if (user is not null)
        {
            foreach (string argument in (string[])["--user", user, "--password", password ?? string.Empty, "--auth", auth])
            {
                info.ArgumentList.Add(argument);
            }
        }

        if (tcpOnly)
        {
            info.ArgumentList.Add("--tcp-only");
        }

        var camera = new GstRtspCamera(Process.Start(info) ?? throw new InvalidOperationException("python3 did not start"), mount);
        try
        {
            camera.Port = await camera._ready.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            string stderr = camera.Stderr;
            await camera.DisposeAsync();
            throw new InvalidOperationException($"The GStreamer camera did not start: {e.Message} {stderr}");
        }

        return camera;
    }

    /// <summary>The URL with credentials in it, as an operator configures a camera.</summary>
    public string UrlWith(string user, string password) =>
        $"rtsp://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}@127.0.0.1:{Port}{Mount}";

    /// <summary>Kills the camera, as a camera losing power: its connections drop without a word.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await ChildProcess.KillTreeAndDisposeAsync(_process);
        await Task.WhenAny(Task.WhenAll(_stdoutPump, _stderrPump), Task.Delay(TimeSpan.FromSeconds(5)));
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task PumpStdoutAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("ready ", StringComparison.Ordinal))
                {
                    _ready.TrySetResult(int.Parse(line.AsSpan(6), CultureInfo.InvariantCulture));
                }
                else if (line == "client-connected")
                {
                    Interlocked.Increment(ref _opened);
                }
                else if (line == "client-closed")
                {
                    Interlocked.Increment(ref _closed);
                }
            }
        }
        catch (ObjectDisposedException)
        {
        }
        catch (InvalidOperationException)
        {
        }

        _ready.TrySetException(new InvalidOperationException("the camera exited before it was ready"));
    }

    private async Task PumpStderrAsync()
    {
        try
        {
            while (await _process.StandardError.ReadLineAsync() is { } line)
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(line);
                }
            }
        }
        catch (ObjectDisposedException)
        {
        }
        catch (InvalidOperationException)
        {
        }
    }
}
