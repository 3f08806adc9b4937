namespace MediaServer.Media.Formats;

/// <summary>Receives RTP payloads from a packetizer; the span is valid only during the call.</summary>
public interface IRtpPayloadSink
{
    /// <param name="payload">One RTP payload, to be sent after an RTP header.</param>
    /// <param name="marker">The RTP marker bit: set on the last packet of an access unit.</param>
    void OnPayload(ReadOnlySpan<byte> payload, bool marker);
}
