namespace MediaServer.WebRtc.Whep;

/// <summary>The result of a WHEP POST: the new session, or why there is none and a message for the client.</summary>
public sealed record WhepResult(WhepOutcome Outcome, WebRtcSession? Session, string? Error);
