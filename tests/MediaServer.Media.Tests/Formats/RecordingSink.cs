using MediaServer.Media.Formats;
using MediaServer.Media.Formats.Aac;

namespace MediaServer.Media.Tests.Formats;

internal sealed class RecordingSink : INalUnitSink, IAccessUnitSink
{
    public List<byte[]> Units { get; } = [];

    public List<uint> Timestamps { get; } = [];

    public List<uint> AccessUnitEnds { get; } = [];

    public void OnNalUnit(ReadOnlySpan<byte> nalUnit, uint rtpTimestamp)
    {
        Units.Add(nalUnit.ToArray());
        Timestamps.Add(rtpTimestamp);
    }

    public void OnAccessUnitEnd(uint rtpTimestamp) => AccessUnitEnds.Add(rtpTimestamp);

    public void OnAccessUnit(ReadOnlySpan<byte> accessUnit, uint rtpTimestamp) => OnNalUnit(accessUnit, rtpTimestamp);
}
