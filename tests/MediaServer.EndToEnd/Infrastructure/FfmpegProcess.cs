using System.Diagnostics;
using System.Text;

namespace MediaServer.EndToEnd.Infrastructure;

/// <summary>
/// ffmpeg (or ffprobe) as a child process: arguments as a list, stdout kept as bytes, stderr as
/// text, a deadline on every wait, and the process killed on dispose so none outlives its test.
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
        info.ArgumentList.Add("-hide_banner");
        info.ArgumentList.Add("-nostdin");
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return new FfmpegProcess(Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start"));
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

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
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            await Task.WhenAll(_stdoutPump, _stderrPump).WaitAsync(TimeSpan.FromSeconds(5));
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>What the process wrote to stdout, once it has exited.</summary>
    public byte[] Stdout() => _stdout.ToArray();

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
        }
        catch (TimeoutException)
        {
        }

        _process.Dispose();
    }

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
