using MediaServer.Media.Formats;
using MediaServer.Media.Formats.Aac;
using MediaServer.Media.Formats.H264;

namespace MediaServer.Fuzz;

/// <summary>
/// Receives what depacketizers and repacketizers emit and fails on anything no valid input could
/// produce: an empty unit, one larger than the configured maximum, a payload over the packet size.
/// </summary>
public sealed class CheckingSink(int maxUnitSize, int minUnitSize = 1) : INalUnitSink, IAccessUnitSink, IRtpPayloadSink
{
    public int Units { get; private set; }

    public int Payloads { get; private set; }

    public void OnNalUnit(ReadOnlySpan<byte> nalUnit, uint rtpTimestamp)
    {
        InvariantViolationException.Unless(nalUnit.Length >= minUnitSize && nalUnit.Length <= maxUnitSize, $"a unit of {nalUnit.Length} bytes");
        Units++;
    }

    public void OnAccessUnitEnd(uint rtpTimestamp)
    {
    }

    public void OnAccessUnit(ReadOnlySpan<byte> accessUnit, uint rtpTimestamp) => OnNalUnit(accessUnit, rtpTimestamp);

    public void OnPayload(ReadOnlySpan<byte> payload, bool marker)
    {
        InvariantViolationException.Unless(payload.Length > 0 && payload.Length <= maxUnitSize, $"a payload of {payload.Length} bytes");
        Payloads++;
    }
}
