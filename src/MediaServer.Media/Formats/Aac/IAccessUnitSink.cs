namespace MediaServer.Media.Formats.Aac;

/// <summary>Receives audio access units; the span is valid only during the call.</summary>
public interface IAccessUnitSink
{
    void OnAccessUnit(ReadOnlySpan<byte> accessUnit, uint rtpTimestamp);
}
