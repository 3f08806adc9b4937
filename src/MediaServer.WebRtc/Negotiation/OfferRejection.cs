namespace MediaServer.WebRtc.Negotiation;

/// <summary>Why an offer cannot be answered; each maps to an HTTP status in WHEP.</summary>
public enum OfferRejection
{
    None,

    /// <summary>Not SDP, or SDP without the ICE/DTLS attributes WebRTC requires (400).</summary>
    Malformed,

    /// <summary>Valid SDP, but no offered m-section can carry any of the stream's tracks (400).</summary>
    NothingPlayable,
}
