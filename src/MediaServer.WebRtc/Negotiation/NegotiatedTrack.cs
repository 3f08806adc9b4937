using MediaServer.Media.Formats;

namespace MediaServer.WebRtc.Negotiation;

/// <summary>
/// One stream track that goes to the browser: which m-section (mid) carries it, with which of the
/// offer's payload types, the SSRC this session sends it with, and the answer's transport
/// (index into <see cref="WebRtcAnswer.Transports"/>) that carries it.
/// </summary>
public sealed record NegotiatedTrack(
    int StreamTrackIndex,
    string Mid,
    MediaFormat Format,
    int PayloadType,
    uint Ssrc,
    bool Nack,
    bool Pli,
    bool Fir,
    int TransportIndex = 0);
