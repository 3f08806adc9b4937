using System.Diagnostics;
using System.Text.Json;

namespace MediaServer.EndToEnd.Infrastructure;

/// <summary>
/// GStreamer's webrtcbin as a WHEP viewer (Scripts/whep_webrtcbin.py, run by Debian's python3 with
/// its gi bindings): offers recvonly H.264 (and Opus) under one bundle policy, applies the answer,
/// decodes what arrives and reports what happened.
/// </summary>
internal static class WebRtcBinViewer
{
    private const string Python = "/usr/bin/python3";

    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Scripts", "whep_webrtcbin.py");

    /// <summary>
    /// Plays <paramref name="path"/> until <paramref name="videoFrames"/> video frames and
    /// <paramref name="audioBuffers"/> audio buffers were decoded or <paramref name="duration"/> passed.
    /// </summary>
    public static async Task<WebRtcBinResult> PlayAsync(
        MediaServerHost host, string path, string bundlePolicy, bool offerAudio, int videoFrames, int audioBuffers, TimeSpan duration)
    {
        var info = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Script);
        info.ArgumentList.Add($"http://127.0.0.1:{host.HttpPort}/{path}/whep");
        info.ArgumentList.Add("--bundle-policy");
        info.ArgumentList.Add(bundlePolicy);
        info.ArgumentList.Add("--media");
        info.ArgumentList.Add(offerAudio ? "video+audio" : "video");
        info.ArgumentList.Add("--duration");
        info.ArgumentList.Add(duration.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add("--until-video");
        info.ArgumentList.Add(videoFrames.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add("--until-audio");
        info.ArgumentList.Add(audioBuffers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add("--print-sdp");

        using Process process = Process.Start(info) ?? throw new InvalidOperationException("python3 did not start");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(duration + TimeSpan.FromSeconds(15));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"webrtcbin viewer did not finish: {await stderr}");
        }

        string output = await stdout;
        string errors = await stderr;
        string? line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (line is null || !line.StartsWith('{'))
        {
            throw new InvalidOperationException($"webrtcbin viewer exited with {process.ExitCode} and no summary: {errors}");
        }

        using JsonDocument json = JsonDocument.Parse(line);
        JsonElement root = json.RootElement;
        return new WebRtcBinResult(
            process.ExitCode,
            root.GetProperty("status").ValueKind == JsonValueKind.Number ? root.GetProperty("status").GetInt32() : null,
            root.GetProperty("answerAccepted").GetBoolean(),
            root.GetProperty("error").GetString(),
            root.GetProperty("connectionState").GetString(),
            root.GetProperty("videoFrames").GetInt32(),
            root.GetProperty("audioBuffers").GetInt32(),
            root.GetProperty("offer").GetString(),
            root.GetProperty("answer").GetString(),
            errors);
    }
}

/// <summary>What the webrtcbin viewer saw; <see cref="ToString"/> has everything a failed assertion needs.</summary>
internal sealed record WebRtcBinResult(
    int ExitCode,
    int? Status,
    bool AnswerAccepted,
    string? Error,
    string? ConnectionState,
    int VideoFrames,
    int AudioBuffers,
    string? Offer,
    string? Answer,
    string Stderr)
{
    public override string ToString() =>
        $"exit {ExitCode}, HTTP {Status}, answer accepted {AnswerAccepted}, error '{Error}', connection {ConnectionState}, " +
        $"{VideoFrames} video frames, {AudioBuffers} audio buffers\n--- offer\n{Offer}\n--- answer\n{Answer}\n--- stderr (tail)\n" +
        (Stderr.Length > 2000 ? Stderr[^2000..] : Stderr);
}
