using System.Buffers.Binary;

namespace MediaServer.LoadGenerator;

/// <summary>
/// One camera's RTP stream (SSRC, sequence numbers, timestamps, its place in the GOP): writes
/// each frame as RTP packets framed for interleaved TCP (RFC 2326 10.12: '$', channel, length),
/// every fragment stamped with the time of the write (<see cref="LatencyStamp"/>). Pushed cameras
/// send the burst as it is; a pulled camera sends it to each playing session, re-framed for its
/// transport. One caller at a time; nothing is allocated per frame.
/// </summary>
internal sealed class CameraRtpStream
{
    private readonly SyntheticH264 _h264;
    private long _frames;
    private ushort _sequence;
    private uint _timestamp;

    /// <param name="gopPhase">Frames into its GOP the camera starts: independent cameras' keyframes do
    /// not line up, and cameras started a few milliseconds apart would otherwise all send their
    /// 70 kB keyframes within the same few milliseconds, every GOP.</param>
    public CameraRtpStream(SyntheticH264 h264, int gopPhase)
    {
        _h264 = h264;
        _frames = gopPhase;
        Ssrc = (uint)Random.Shared.Next();
        _sequence = (ushort)Random.Shared.Next();
        _timestamp = (uint)Random.Shared.Next();
        MaxBurstLength = Math.Max(h264.Keyframe.Sum(p => p.Length + 16), h264.Predicted.Sum(p => p.Length + 16));
    }

    public uint Ssrc { get; }

    /// <summary>The sequence number of the next frame's first packet.</summary>
    public ushort NextSequence => _sequence;

    /// <summary>The RTP timestamp of the next frame.</summary>
    public uint NextTimestamp => _timestamp;

    /// <summary>The room a burst needs for the largest frame.</summary>
    public int MaxBurstLength { get; }

    /// <summary>
    /// Writes the next frame into <paramref name="burst"/> on interleaved channel 0, stamped
    /// <paramref name="now"/>; returns its length in bytes and its packet count.
    /// </summary>
    public (int Length, int Packets) WriteFrame(Span<byte> burst, long now)
    {
        long index = _frames++;
        byte[][] payloads = _h264.Frame(index);
        bool predicted = !_h264.IsKeyframe(index);
        int offset = 0;
        for (int i = 0; i < payloads.Length; i++)
        {
            byte[] payload = payloads[i];
            int rtpLength = 12 + payload.Length;
            Span<byte> frame = burst.Slice(offset, 4 + rtpLength);
            frame[0] = (byte)'$';
            frame[1] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(frame[2..], (ushort)rtpLength);
            Span<byte> rtp = frame[4..];
            rtp[0] = 0x80;
            rtp[1] = (byte)((i == payloads.Length - 1 ? 0x80 : 0) | 96);
            BinaryPrimitives.WriteUInt16BigEndian(rtp[2..], _sequence++);
            BinaryPrimitives.WriteUInt32BigEndian(rtp[4..], _timestamp);
            BinaryPrimitives.WriteUInt32BigEndian(rtp[8..], Ssrc);
            payload.CopyTo(rtp[12..]);
            if (i == 0 && predicted)
            {
                _h264.WriteFrameNumber(rtp[12..], index);
            }

            if (LatencyStamp.Fits(payload))
            {
                LatencyStamp.Write(rtp[12..], now);
            }

            offset += frame.Length;
        }

        _timestamp += _h264.TimestampStep;
        return (offset, payloads.Length);
    }
}
