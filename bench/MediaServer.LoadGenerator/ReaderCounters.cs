using System.Buffers.Binary;

namespace MediaServer.LoadGenerator;

/// <summary>
/// What one reader received: packets, bytes and sequence gaps (the server rewrites sequence
/// numbers into one continuous run per reader, so every gap is a packet the reader never got).
/// Written by that reader's receive loop only; read racily by the reporter, which is fine for
/// monotonic 64-bit counters.
/// </summary>
internal sealed class ReaderCounters
{
    private readonly LatencyHistogram _latency;
    private readonly LatencyHistogram? _predictedLatency;
    private bool _started;
    private ushort _expected;

    /// <param name="latency">Every stamped packet.</param>
    /// <param name="predictedLatency">Only packets of P frames: a keyframe is one burst ten times larger,
    /// whose last packets wait for the whole burst to cross the camera's socket and the server.</param>
    public ReaderCounters(LatencyHistogram latency, LatencyHistogram? predictedLatency = null)
    {
        _latency = latency;
        _predictedLatency = predictedLatency;
    }

    public long Packets;
    public long Bytes;
    public long Lost;
    public long Stamped;

    /// <summary>One RTP packet as received (header included).</summary>
    public void OnRtp(ReadOnlySpan<byte> rtp)
    {
        if (rtp.Length < 12)
        {
            return;
        }

        Packets++;
        Bytes += rtp.Length;
        ushort sequence = BinaryPrimitives.ReadUInt16BigEndian(rtp[2..]);
        if (_started && sequence != _expected)
        {
            int gap = (ushort)(sequence - _expected);
            if (gap < 0x8000)
            {
                Lost += gap;
            }
        }

        _started = true;
        _expected = (ushort)(sequence + 1);
        if (LatencyStamp.TryRead(rtp, out long sent, out bool keyframe))
        {
            Stamped++;
            long elapsed = LatencyStamp.ElapsedNanoseconds(sent);
            _latency.Record(elapsed);
            if (!keyframe)
            {
                _predictedLatency?.Record(elapsed);
            }
        }
    }
}
