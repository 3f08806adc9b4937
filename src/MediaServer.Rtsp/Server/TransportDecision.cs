using MediaServer.Rtsp.Protocol;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// The outcome of <see cref="TransportNegotiation.Negotiate"/>: the session transport and the
/// channel or client-port pair the track uses, or the refusal with its status code.
/// </summary>
/// <param name="Refusal">Why it was refused; <see cref="TransportRefusalReason.None"/> when accepted.</param>
/// <param name="Transport">How the track's media flows.</param>
/// <param name="Pair">The interleaved channels (RTP, RTCP), or the client's UDP ports (RTP, RTCP); for a channel refusal, the channels asked for.</param>
/// <param name="RefusedPort">For <see cref="TransportRefusalReason.ClientPortIsServerPort"/>, the server port the client named.</param>
internal readonly record struct TransportDecision(TransportRefusalReason Refusal, SessionTransport Transport, (int Rtp, int Rtcp) Pair, int RefusedPort = 0)
{
    public bool IsAccepted => Refusal == TransportRefusalReason.None;

    public RtspStatusCode Status => Refusal switch
    {
        TransportRefusalReason.None => RtspStatusCode.Ok,
        TransportRefusalReason.TrackAlreadySetUp => RtspStatusCode.MethodNotValidInThisState,
        TransportRefusalReason.SessionLimit => RtspStatusCode.NotEnoughBandwidth,
        _ => RtspStatusCode.UnsupportedTransport,
    };
}
