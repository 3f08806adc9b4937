using MediaServer.Media.Formats.H264;

namespace MediaServer.LoadGenerator;

/// <summary>
/// A camera's H.264 elementary stream at a set bitrate, frame rate and GOP, already cut into RTP
/// payloads: SPS, PPS and an IDR slice open each GOP, P slices fill it, and an IDR is ten times a
/// P frame, as in a typical surveillance encoder. The server never decodes, so slice bodies are
/// filler; what matters is that NAL types, sizes and the cadence of keyframes are realistic.
/// </summary>
internal sealed class SyntheticH264
{
    // Baseline profile, level 3.1: what the SDP's profile-level-id says.
    public static readonly byte[] Sps = [0x67, 0x42, 0xE0, 0x1F, 0xDA, 0x01, 0x40, 0x16, 0xE8, 0x06, 0xD0, 0xA1, 0x35];
    public static readonly byte[] Pps = [0x68, 0xCE, 0x06, 0xE2];
    private const int KeyframeWeight = 10;

    public SyntheticH264(int bitrateKbps, int framesPerSecond, double gopSeconds, int maxPayload)
    {
        FramesPerSecond = framesPerSecond;
        FramesPerGop = Math.Max(1, (int)Math.Round(gopSeconds * framesPerSecond));
        int gopBytes = (int)(bitrateKbps * 1000L / 8 * FramesPerGop / framesPerSecond);
        int predictedBytes = Math.Max(64, gopBytes / (FramesPerGop - 1 + KeyframeWeight));
        var packetizer = new H264Packetizer(maxPayload);
        Keyframe = [.. Packetize(packetizer, Sps), .. Packetize(packetizer, Pps), .. Packetize(packetizer, Slice(0x65, predictedBytes * KeyframeWeight))];
        Predicted = Packetize(packetizer, Slice(0x41, predictedBytes));
    }

    public int FramesPerSecond { get; }

    public int FramesPerGop { get; }

    /// <summary>The RTP payloads of an IDR access unit (parameter sets first); the last ends the frame.</summary>
    public byte[][] Keyframe { get; }

    public byte[][] Predicted { get; }

    public uint TimestampStep => (uint)(90_000 / FramesPerSecond);

    public byte[][] Frame(long index) => index % FramesPerGop == 0 ? Keyframe : Predicted;

    private static byte[] Slice(byte nalHeader, int length)
    {
        byte[] nal = new byte[length];
        nal[0] = nalHeader;
        for (int i = 1; i < nal.Length; i++)
        {
            nal[i] = (byte)(0x80 | (i * 7)); // never a start-code-like run of zeros
        }

        return nal;
    }

    private static byte[][] Packetize(H264Packetizer packetizer, byte[] nal)
    {
        int count = packetizer.PayloadCount(nal.Length);
        var payloads = new byte[count][];
        var scratch = new byte[packetizer.MaxPayloadSize];
        for (int i = 0; i < count; i++)
        {
            int length = packetizer.WritePayload(nal, i, scratch);
            payloads[i] = scratch[..length];
        }

        return payloads;
    }
}
