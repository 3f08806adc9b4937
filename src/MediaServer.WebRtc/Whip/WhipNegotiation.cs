using MediaServer.Media.Sdp;
using MediaServer.WebRtc.Negotiation;

namespace MediaServer.WebRtc.Whip;

/// <summary>
/// A WHIP offer answered: the answer with its tracks (each <see cref="NegotiatedTrack.Ssrc"/> the
/// SSRC the publisher announced, 0 when it announced none) and the description the stream is
/// published with (one m= section per accepted track, in the order of the tracks).
/// </summary>
public sealed record WhipNegotiation(WebRtcAnswer Answer, SessionDescription Published);
