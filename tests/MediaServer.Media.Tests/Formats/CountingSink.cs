using MediaServer.Media.Formats;

namespace MediaServer.Media.Tests.Formats;

/// <summary>A sink that only counts, so allocation tests measure the depacketizer and nothing else.</summary>
internal sealed class CountingSink : INalUnitSink
{
    public int Units { get; private set; }

    public long Bytes { get; private set; }

    public int AccessUnitEnds { get; private set; }

    public void OnNalUnit(ReadOnlySpan<byte> nalUnit, uint rtpTimestamp)
    {
        Units++;
        Bytes += nalUnit.Length;
    }

    public void OnAccessUnitEnd(uint rtpTimestamp) => AccessUnitEnds++;
}
