using MediaServer.Media.Formats;

namespace MediaServer.EndToEnd.Infrastructure.Chaos;

/// <summary>
/// Turns depacketized NAL units into an H.264 Annex-B byte stream (start code + unit) for a
/// decoder's stdin. Write failures (the decoder exited) are counted, not thrown: the viewer's
/// session ends and reconnects instead of crashing its receive thread.
/// </summary>
internal sealed class AnnexBWriter(Stream output) : INalUnitSink
{
    private static readonly byte[] StartCode = [0, 0, 0, 1];

    public long NalUnits { get; private set; }

    public bool Failed { get; private set; }

    public void OnNalUnit(ReadOnlySpan<byte> nalUnit, uint rtpTimestamp) => Write(nalUnit);

    public void OnAccessUnitEnd(uint rtpTimestamp)
    {
        if (Failed)
        {
            return;
        }

        try
        {
            output.Flush();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            Failed = true;
        }
    }

    /// <summary>Parameter sets from the SDP, written before the first picture.</summary>
    public void WriteParameterSets(IEnumerable<byte[]> units)
    {
        foreach (byte[] unit in units)
        {
            Write(unit);
        }
    }

    private void Write(ReadOnlySpan<byte> nalUnit)
    {
        if (Failed || nalUnit.IsEmpty)
        {
            return;
        }

        try
        {
            output.Write(StartCode);
            output.Write(nalUnit);
            NalUnits++;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            Failed = true;
        }
    }
}
