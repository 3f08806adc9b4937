using MediaServer.Media.Formats.H264;

namespace MediaServer.Media.Formats;

/// <summary>
/// Reshapes one outgoing track's RTP payloads for its receiver (a smaller packet size, parameter
/// sets in band): one instance per track and receiver, chosen by the track's codec. Tracks that
/// pass through unchanged have none.
/// </summary>
public abstract class TrackRepacketizer
{
    /// <param name="payload">One RTP payload from the camera.</param>
    /// <param name="marker">Its marker bit: the last packet of an access unit.</param>
    /// <param name="timestamp">Its RTP timestamp, which tells access units apart.</param>
    /// <param name="sink">Receives the payloads to send, valid only during the call.</param>
    public abstract RepacketizeResult Push(ReadOnlySpan<byte> payload, bool marker, uint timestamp, IRtpPayloadSink sink);
}
