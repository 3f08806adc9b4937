namespace MediaServer.WebRtc.Negotiation;

/// <summary>
/// One transport the answer sets up: both sides' ICE credentials and the browser's fingerprint,
/// and the mids of the m-sections it carries (every accepted one when bundled, else exactly one).
/// </summary>
public sealed record AnsweredTransport(LocalTransportDescription Local, OfferedTransport Remote, IReadOnlyList<string> Mids);
