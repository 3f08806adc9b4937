namespace MediaServer.WebRtc.Negotiation;

/// <summary>
/// The answer to send, the tracks it carries, the stream tracks it had to leave out, and the
/// transports it sets up (one when bundled or single-track; one per accepted m-section otherwise).
/// </summary>
public sealed record WebRtcAnswer(
    string Sdp,
    IReadOnlyList<NegotiatedTrack> Tracks,
    IReadOnlyList<string> LeftOut,
    IReadOnlyList<AnsweredTransport> Transports,
    bool Bundled);
