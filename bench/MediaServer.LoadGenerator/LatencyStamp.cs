using System.Buffers.Binary;
using System.Diagnostics;

namespace MediaServer.LoadGenerator;

/// <summary>
/// A send time carried inside the media itself: right after the two FU-A bytes of each fragment
/// but a NAL unit's first, the camera writes a marker and <see cref="Stopwatch.GetTimestamp"/>. Readers on this machine
/// read the same monotonic clock (CLOCK_MONOTONIC on Linux), so receive minus send is the time
/// the packet spent in the server and the loopback stack. The server relays payloads untouched
/// (RTSP) or passes fragments that fit through unchanged (WebRTC), so the stamp survives.
/// </summary>
internal static class LatencyStamp
{
    public const int FuHeaderLength = 2;
    public const int Length = 12;
    private const uint Marker = 0x4C475453; // "LGTS"

    /// <summary>
    /// True when an RTP payload has room for a stamp: an FU-A fragment other than the first, which
    /// carries the slice header (and here the whole coded picture) that decoders read.
    /// </summary>
    public static bool Fits(ReadOnlySpan<byte> payload) =>
        payload.Length >= FuHeaderLength + Length && (payload[0] & 0x1F) == 28 && (payload[1] & 0x80) == 0;

    public static void Write(Span<byte> payload, long timestamp)
    {
        Span<byte> stamp = payload.Slice(FuHeaderLength, Length);
        BinaryPrimitives.WriteUInt32BigEndian(stamp, Marker);
        BinaryPrimitives.WriteInt64BigEndian(stamp[4..], timestamp);
    }

    /// <summary>The stamp in an RTP packet (header included), or false for packets without one.</summary>
    public static bool TryRead(ReadOnlySpan<byte> rtp, out long timestamp) => TryRead(rtp, out timestamp, out _);

    /// <summary>The same, and whether the fragment belongs to an IDR slice (a keyframe).</summary>
    public static bool TryRead(ReadOnlySpan<byte> rtp, out long timestamp, out bool keyframe)
    {
        timestamp = 0;
        keyframe = false;
        if (rtp.Length < 12 || (rtp[0] & 0xC0) != 0x80)
        {
            return false;
        }

        int header = 12 + (rtp[0] & 0x0F) * 4;
        if ((rtp[0] & 0x10) != 0)
        {
            if (rtp.Length < header + 4)
            {
                return false;
            }

            header += 4 + BinaryPrimitives.ReadUInt16BigEndian(rtp[(header + 2)..]) * 4;
        }

        if (rtp.Length < header + FuHeaderLength + Length)
        {
            return false;
        }

        ReadOnlySpan<byte> payload = rtp[header..];
        if ((payload[0] & 0x1F) != 28 || BinaryPrimitives.ReadUInt32BigEndian(payload[FuHeaderLength..]) != Marker)
        {
            return false;
        }

        timestamp = BinaryPrimitives.ReadInt64BigEndian(payload[(FuHeaderLength + 4)..]);
        keyframe = (payload[1] & 0x1F) == 5;
        return true;
    }

    public static long ElapsedNanoseconds(long sent) =>
        (long)((Stopwatch.GetTimestamp() - sent) * (1_000_000_000.0 / Stopwatch.Frequency));
}
