namespace MediaServer.WebRtc.Negotiation;

/// <summary>The server's side of one session's transport, as the answer advertises it.</summary>
public sealed record LocalTransportDescription(
    string IceUfrag,
    string IcePwd,
    string Fingerprint,
    IReadOnlyList<IceCandidate> Candidates);
