namespace MediaServer.Media.Formats;

/// <summary>Receives NAL units as a depacketizer completes them; the span is valid only during the call.</summary>
public interface INalUnitSink
{
    void OnNalUnit(ReadOnlySpan<byte> nalUnit, uint rtpTimestamp);

    /// <summary>The RTP marker bit closed the access unit of this timestamp.</summary>
    void OnAccessUnitEnd(uint rtpTimestamp);
}
