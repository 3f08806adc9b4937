using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using MediaServer.WebRtc.Srtp;

namespace MediaServer.Benchmarks;

/// <summary>
/// SRTP protect of one 1200-byte RTP packet (what every WebRTC viewer costs per packet) and SRTCP
/// protect of a sender report, for both profiles. Goal: 0 B allocated.
/// </summary>
[MemoryDiagnoser]
public class SrtpBenchmarks : IDisposable
{
    private readonly byte[] _packet = new byte[1200 + 16];
    private readonly byte[] _report = new byte[52 + 20];
    private SrtpContext _context = null!;
    private ushort _sequence;

    [Params(SrtpProfile.Aes128CmHmacSha1_80, SrtpProfile.AeadAes128Gcm)]
    public SrtpProfile Profile { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        byte[] salt = new byte[Profile == SrtpProfile.AeadAes128Gcm ? 12 : 14];
        _context = new SrtpContext(Profile, new byte[16], salt);
        _packet[0] = 0x80;
        _packet[1] = 96;
        BinaryPrimitives.WriteUInt32BigEndian(_packet.AsSpan(8), 0x11223344);
        _report[0] = 0x80;
        _report[1] = 200;
        BinaryPrimitives.WriteUInt16BigEndian(_report.AsSpan(2), 12);
        BinaryPrimitives.WriteUInt32BigEndian(_report.AsSpan(4), 0x11223344);
    }

    public void Dispose() => _context?.Dispose();

    [Benchmark]
    public int ProtectRtp()
    {
        // Each packet is a new one (the sender never protects the same index twice).
        BinaryPrimitives.WriteUInt16BigEndian(_packet.AsSpan(2), _sequence++);
        return _context.ProtectRtp(_packet, 1200);
    }

    [Benchmark]
    public int ProtectRtcp() => _context.ProtectRtcp(_report, 52);
}
