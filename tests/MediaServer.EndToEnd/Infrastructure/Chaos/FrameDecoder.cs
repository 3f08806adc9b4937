using System.Diagnostics;
using System.Text;

namespace MediaServer.EndToEnd.Infrastructure.Chaos;

/// <summary>
/// A real decoder: ffmpeg reads H.264 (an Annex-B pipe, or an RTSP URL it plays itself), scales
/// every decoded picture to a <see cref="ColourTally.GridSide"/>² YUV 4:4:4 grid (the decoder's
/// own planes, no RGB clipping) and streams it to us,
/// where each frame is classified as it arrives. Unlike <see cref="FfmpegProcess"/> nothing is
/// buffered, so a decoder can run for a whole soak.
/// </summary>
internal sealed class FrameDecoder : IAsyncDisposable
{
    private static readonly string[] Output =
    [
        "-an", "-vf", $"scale={ColourTally.GridSide}:{ColourTally.GridSide}:flags=area", "-pix_fmt", "yuv444p",
        "-fps_mode", "passthrough", "-f", "rawvideo", "pipe:1",
    ];

    private readonly Process _process;
    private readonly ColourTally _tally;
    private readonly StringBuilder _stderrTail = new();
    private readonly Task _frames;
    private readonly Task _stderr;
    private long _decoded;

    private FrameDecoder(Process process, ColourTally tally)
    {
        _process = process;
        _tally = tally;
        _frames = Task.Run(PumpFramesAsync);
        _stderr = Task.Run(PumpStderrAsync);
    }

    /// <summary>Frames this decoder produced (all colours).</summary>
    public long Decoded => Interlocked.Read(ref _decoded);

    /// <summary>Where to write the Annex-B stream (Annex-B decoders only).</summary>
    public Stream Input => _process.StandardInput.BaseStream;

    /// <summary>Completes when ffmpeg has exited and its output is read.</summary>
    public Task Exited => _frames;

    public string StderrTail
    {
        get
        {
            lock (_stderrTail)
            {
                return _stderrTail.ToString();
            }
        }
    }

    /// <summary>Decodes an Annex-B H.264 stream written to <see cref="Input"/>.</summary>
    public static FrameDecoder StartAnnexB(ColourTally tally) => Start(tally,
        ["-probesize", "65536", "-analyzeduration", "500000", "-fflags", "nobuffer", "-f", "h264", "-i", "pipe:0"]);

    /// <summary>Plays an RTSP URL itself (a real RTSP client) over "tcp" or "udp".</summary>
    public static FrameDecoder StartRtsp(ColourTally tally, string url, string transport) => Start(tally,
        ["-nostdin", "-rtsp_transport", transport, "-timeout", "5000000", "-i", url]);

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            await Task.WhenAll(_frames, _stderr).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
        }

        _process.Dispose();
    }

    private static FrameDecoder Start(ColourTally tally, string[] input)
    {
        var info = new ProcessStartInfo("ffmpeg")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])["-hide_banner", "-nostats", "-loglevel", "error", .. input, .. Output])
        {
            info.ArgumentList.Add(argument);
        }

        return new FrameDecoder(Process.Start(info) ?? throw new InvalidOperationException("ffmpeg did not start"), tally);
    }

    private async Task PumpFramesAsync()
    {
        Stream stdout = _process.StandardOutput.BaseStream;
        byte[] frame = new byte[ColourTally.FrameBytes];
        try
        {
            while (true)
            {
                await stdout.ReadExactlyAsync(frame);
                Interlocked.Increment(ref _decoded);
                _tally.Observe(frame);
            }
        }
        catch (EndOfStreamException)
        {
        }
        catch (IOException)
        {
        }
    }

    private async Task PumpStderrAsync()
    {
        while (await _process.StandardError.ReadLineAsync() is { } line)
        {
            lock (_stderrTail)
            {
                // Enough to explain a failure, bounded for a long soak.
                if (_stderrTail.Length > 4000)
                {
                    _stderrTail.Remove(0, 2000);
                }

                _stderrTail.AppendLine(line);
            }
        }
    }
}
