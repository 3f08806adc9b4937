namespace MediaServer.WebRtc.Whip;

/// <summary>The result of a WHIP POST: the new publisher's session, or why there is none and a message for the client.</summary>
public sealed record WhipResult(WhipOutcome Outcome, WebRtcSession? Session, string? Error);
