using MediaServer.Media.Formats;
using MediaServer.Media.Formats.Aac;
using MediaServer.Media.Formats.H264;

namespace MediaServer.Fuzz;

/// <summary>A sink for set-up calls whose output the target does not look at.</summary>
public sealed class NullSink : INalUnitSink, IAccessUnitSink, IRtpPayloadSink
{
    public static NullSink Instance { get; } = new();

    public void OnNalUnit(ReadOnlySpan<byte> nalUnit, uint rtpTimestamp)
    {
    }

    public void OnAccessUnitEnd(uint rtpTimestamp)
    {
    }

    public void OnAccessUnit(ReadOnlySpan<byte> accessUnit, uint rtpTimestamp)
    {
    }

    public void OnPayload(ReadOnlySpan<byte> payload, bool marker)
    {
    }
}
