namespace MediaServer.WebRtc.Negotiation;

/// <summary>The answer to send, the tracks it carries, and the stream tracks it had to leave out.</summary>
public sealed record WebRtcAnswer(string Sdp, IReadOnlyList<NegotiatedTrack> Tracks, IReadOnlyList<string> LeftOut);
