using BenchmarkDotNet.Attributes;
using MediaServer.Media.Formats;
using MediaServer.Media.Formats.H264;

namespace MediaServer.Benchmarks;

/// <summary>
/// Cutting one H.264 NAL unit into RTP payloads of at most 1200 bytes (RFC 6184 mode 1): a 16 kB
/// slice into FU-A fragments, written straight into packet buffers or handed to a sink, and a
/// small slice that goes out as a single NAL unit packet. Goal: 0 B allocated.
/// </summary>
[MemoryDiagnoser]
public class H264PacketizeBenchmarks
{
    private readonly H264Packetizer _packetizer = new(1200);
    private readonly ByteCounter _sink = new();
    private readonly byte[] _largeSlice = BenchPackets.Slice(0x65, 16 * 1024);
    private readonly byte[] _smallSlice = BenchPackets.Slice(0x41, 800);

    // Where an egress would put each payload: after a 12-byte RTP header in its packet buffer.
    private readonly byte[] _packet = new byte[12 + 1200];

    [Benchmark]
    public int LargeNalWritePayload()
    {
        int total = 0;
        int count = _packetizer.PayloadCount(_largeSlice.Length);
        for (int i = 0; i < count; i++)
        {
            total += _packetizer.WritePayload(_largeSlice, i, _packet.AsSpan(12));
        }

        return total;
    }

    [Benchmark]
    public long LargeNalPacketize()
    {
        _packetizer.Packetize(_largeSlice, _sink, endOfAccessUnit: true);
        return _sink.Bytes;
    }

    [Benchmark]
    public int SmallNalWritePayload() => _packetizer.WritePayload(_smallSlice, 0, _packet.AsSpan(12));

    [Benchmark]
    public long SmallNalPacketize()
    {
        _packetizer.Packetize(_smallSlice, _sink, endOfAccessUnit: true);
        return _sink.Bytes;
    }

    private sealed class ByteCounter : IRtpPayloadSink
    {
        public long Bytes { get; private set; }

        public void OnPayload(ReadOnlySpan<byte> payload, bool marker) => Bytes += payload.Length;
    }
}
