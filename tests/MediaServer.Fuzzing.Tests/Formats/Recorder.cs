using MediaServer.Media.Formats;
using MediaServer.Media.Formats.Aac;
using MediaServer.Media.Formats.H264;

namespace MediaServer.Fuzzing.Tests.Formats;

/// <summary>Keeps copies of what a depacketizer or packetizer hands out, in order.</summary>
internal sealed class Recorder : INalUnitSink, IAccessUnitSink, IRtpPayloadSink
{
    public List<byte[]> Units { get; } = [];

    public List<uint> Timestamps { get; } = [];

    public List<(byte[] Payload, bool Marker)> Payloads { get; } = [];

    public void OnNalUnit(ReadOnlySpan<byte> nalUnit, uint rtpTimestamp)
    {
        Units.Add(nalUnit.ToArray());
        Timestamps.Add(rtpTimestamp);
    }

    public void OnAccessUnitEnd(uint rtpTimestamp)
    {
    }

    public void OnAccessUnit(ReadOnlySpan<byte> accessUnit, uint rtpTimestamp) => OnNalUnit(accessUnit, rtpTimestamp);

    public void OnPayload(ReadOnlySpan<byte> payload, bool marker) => Payloads.Add((payload.ToArray(), marker));
}
