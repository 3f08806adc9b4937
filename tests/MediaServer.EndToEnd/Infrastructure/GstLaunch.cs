using System.Diagnostics;
using System.Text;

namespace MediaServer.EndToEnd.Infrastructure;

/// <summary>
/// A GStreamer pipeline run by <c>gst-launch-1.0</c> as a child process: its output kept as text,
/// a deadline on the wait, and the process tree killed on dispose so none outlives its test.
/// </summary>
internal sealed class GstLaunch : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private GstLaunch(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Starts the pipeline, one element or property per argument (<c>rtspsrc</c>, <c>location=…</c>, <c>!</c>, …).</summary>
    public static GstLaunch Start(params string[] pipeline)
    {
        var info = new ProcessStartInfo("gst-launch-1.0")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in pipeline)
        {
            info.ArgumentList.Add(argument);
        }

        return new GstLaunch(Process.Start(info) ?? throw new InvalidOperationException("gst-launch-1.0 did not start"));
    }

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

    /// <summary>Waits for the pipeline to end by itself (EOS or an error); false when the deadline passed first.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan deadline)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(deadline);
            await _process.WaitForExitAsync(); // the output events have all been raised after this
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync() => ChildProcess.KillTreeAndDisposeAsync(_process);

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
