using System.Diagnostics;
using System.Text;

namespace MediaServer.EndToEnd.Infrastructure;

/// <summary>
/// ffmpeg (or ffprobe, or another player such as a GStreamer script) as a child process: arguments as a list, stdout kept as bytes, stderr as
/// text, a deadline on every wait, and the process tree killed on dispose so none outlives its test.
/// </summary>
internal sealed class FfmpegProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly MemoryStream _stdout = new();
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;

    private FfmpegProcess(Process process)
    {
        _process = process;
        _stdoutPump = process.StandardOutput.BaseStream.CopyToAsync(_stdout);
        _stderrPump = PumpStderrAsync();
    }

    public static FfmpegProcess Start(params string[] arguments) => Start("ffmpeg", arguments);

    public static FfmpegProcess Start(string program, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (program is "ffmpeg" or "ffprobe")
        {
            info.ArgumentList.Add("-hide_banner");
        }

        if (program == "ffmpeg")
        {
            info.ArgumentList.Add("-nostdin");
        }

        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return new FfmpegProcess(Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start"));
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything written to stderr so far, one line per line (ffmpeg's '\r' stats lines included).</summary>
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

    /// <summary>Waits for the process to end by itself; false when the deadline passed first.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        return await WaitForExitAsync(timeout.Token);
    }

    /// <summary>Waits for the process to end by itself; false when the token was cancelled first.</summary>
    public async Task<bool> WaitForExitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _process.WaitForExitAsync(cancellationToken);
            await Task.WhenAll(_stdoutPump, _stderrPump).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (TimeoutException)
        {
            return true; // exited; a grandchild still holds the pipes open
        }
    }

    /// <summary>
    /// Polls stderr until <paramref name="condition"/> holds for it; false when the process ended or
    /// the deadline passed first. For setup ("the player is decoding"), never for timing assertions.
    /// </summary>
    public async Task<bool> WaitForStderrAsync(Func<string, bool> condition, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        while (!timeout.IsCancellationRequested && !HasExited)
        {
            if (condition(Stderr))
            {
                return true;
            }

            try
            {
                await Task.Delay(50, timeout.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return condition(Stderr);
    }

    /// <summary>What the process wrote to stdout, once it has exited.</summary>
    public byte[] Stdout() => _stdout.ToArray();

    public ValueTask DisposeAsync() => ChildProcess.KillTreeAndDisposeAsync(_process);

    private async Task PumpStderrAsync()
    {
        while (await _process.StandardError.ReadLineAsync() is { } line)
        {
            lock (_stderr)
            {
                _stderr.AppendLine(line);
            }
        }
    }
}
