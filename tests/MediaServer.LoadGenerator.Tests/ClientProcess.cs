using System.Diagnostics;

namespace MediaServer.LoadGenerator.Tests;

/// <summary>Runs a client nobody here wrote (ffmpeg, gst-launch-1.0) to its end, with a deadline.</summary>
internal static class ClientProcess
{
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string program, TimeSpan deadline, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {deadline.TotalSeconds} s: {await errors}");
        }

        return (process.ExitCode, await output, await errors);
    }
}
