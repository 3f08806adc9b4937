using MediaServer.WebRtc.Dtls;

namespace MediaServer.WebRtc.Negotiation;

/// <summary>The browser's side of one transport, as its offer describes it (RFC 8839, RFC 8842).</summary>
public sealed record OfferedTransport(string IceUfrag, string IcePwd, DtlsFingerprint Fingerprint);
