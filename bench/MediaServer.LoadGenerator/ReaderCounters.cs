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
    private bool _started;
    private ushort _expected;

    public ReaderCounters(LatencyHistogram latency) => _latency = latency;

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
        if (LatencyStamp.TryRead(rtp, out long sent))
        {
            Stamped++;
            _latency.Record(LatencyStamp.ElapsedNanoseconds(sent));
        }
    }
}
