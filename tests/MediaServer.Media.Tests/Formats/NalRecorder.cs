using MediaServer.Media.Formats;

namespace MediaServer.Media.Tests.Formats;

/// <summary>Keeps copies of the NAL units a depacketizer completes.</summary>
internal sealed class NalRecorder : INalUnitSink
{
    public List<byte[]> Units { get; } = [];

    public void OnNalUnit(ReadOnlySpan<byte> nalUnit, uint rtpTimestamp) => Units.Add(nalUnit.ToArray());

    public void OnAccessUnitEnd(uint rtpTimestamp)
    {
    }
}
