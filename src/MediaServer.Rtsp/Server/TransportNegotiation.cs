using MediaServer.Rtsp.Protocol;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// Which transport a SETUP gets (RFC 2326 §12.39), decided from the parsed Transport header and
/// the <see cref="TransportContext"/> alone: no socket, no registry, no side effect. The caller
/// acts on the decision (claims the client ports, binds the channels, logs a refusal).
/// </summary>
internal static class TransportNegotiation
{
    /// <summary>The last interleaved channel: a frame's channel is one byte (RFC 2326 §10.12).</summary>
    private const int MaxChannel = 255;

    /// <summary>The first spec this server can serve, in the client's order of preference; null means 461.</summary>
    public static TransportSpec? SelectOffer(IReadOnlyList<TransportSpec> offers, bool udpOffered)
    {
        foreach (TransportSpec offer in offers)
        {
            if (IsSupported(offer, udpOffered))
            {
                return offer;
            }
        }

        return null;
    }

    /// <summary>Unicast RTP/AVP over interleaved TCP, or over UDP with client ports while UDP is offered.</summary>
    public static bool IsSupported(TransportSpec offer, bool udpOffered)
    {
        if (!offer.IsRtpAvp || !offer.IsUnicast || offer.Lower == LowerTransport.Other)
        {
            return false;
        }

        return offer.Lower == LowerTransport.Tcp || (udpOffered && offer.ClientPort is not null);
    }

    /// <summary>
    /// Decides the transport of one track for a supported <paramref name="offer"/> (see
    /// <see cref="SelectOffer"/>). The checks run in a fixed order, so a request with several faults
    /// always gets the same answer.
    /// </summary>
    public static TransportDecision Negotiate(TransportSpec offer, TransportContext context)
    {
        SessionTransport transport = offer.Lower == LowerTransport.Tcp ? SessionTransport.Interleaved : SessionTransport.Udp;
        if (transport == SessionTransport.Udp && context.InsideTls)
        {
            return Refuse(TransportRefusalReason.UdpInsideTls, transport);
        }

        if (context.SessionTransport != SessionTransport.None && context.SessionTransport != transport)
        {
            return Refuse(TransportRefusalReason.OtherThanSession, transport);
        }

        if (context.TrackSetUp)
        {
            return Refuse(TransportRefusalReason.TrackAlreadySetUp, transport);
        }

        if (context.AtSessionLimit)
        {
            return Refuse(TransportRefusalReason.SessionLimit, transport);
        }

        return transport == SessionTransport.Interleaved
            ? NegotiateChannels(offer, context)
            : NegotiateClientPorts(offer, context);
    }

    /// <summary>The Transport header of the 200: the transport decided, with what the server chose for it.</summary>
    public static TransportSpec Reply(TransportSpec offer, TransportDecision decision, bool publishing, uint ssrc, (int Rtp, int Rtcp) serverPorts)
    {
        var reply = new TransportSpec
        {
            Protocol = decision.Transport == SessionTransport.Interleaved ? "RTP/AVP/TCP" : "RTP/AVP",
            Lower = offer.Lower,
            IsUnicast = true,
            Mode = publishing ? "record" : null,
            Ssrc = publishing ? null : ssrc,
        };
        if (decision.Transport == SessionTransport.Interleaved)
        {
            reply.Interleaved = decision.Pair;
        }
        else
        {
            reply.ClientPort = decision.Pair;
            reply.ServerPort = serverPorts;
        }

        return reply;
    }

    /// <summary>
    /// The channels the client named, else the track's pair (2n, 2n + 1); a track whose pair lies
    /// beyond the last channel (255) gets the lowest free pair, and none left is a refusal.
    /// </summary>
    private static TransportDecision NegotiateChannels(TransportSpec offer, TransportContext context)
    {
        (int rtp, int rtcp) = offer.Interleaved ?? (context.TrackIndex * 2, (context.TrackIndex * 2) + 1);
        if (offer.Interleaved is null && rtcp > MaxChannel)
        {
            return LowestFreeChannels(context);
        }

        bool free = rtp != rtcp && !context.IsChannelTaken(rtp) && !context.IsChannelTaken(rtcp);
        return new TransportDecision(free ? TransportRefusalReason.None : TransportRefusalReason.ChannelsTaken, SessionTransport.Interleaved, (rtp, rtcp));
    }

    private static TransportDecision LowestFreeChannels(TransportContext context)
    {
        for (int rtp = 0; rtp < MaxChannel; rtp += 2)
        {
            if (!context.IsChannelTaken(rtp) && !context.IsChannelTaken(rtp + 1))
            {
                return new TransportDecision(TransportRefusalReason.None, SessionTransport.Interleaved, (rtp, rtp + 1));
            }
        }

        return Refuse(TransportRefusalReason.NoChannelsLeft, SessionTransport.Interleaved);
    }

    /// <summary>
    /// Media goes only to the address the request came from, never to a "destination" a client
    /// names (the server must not be usable to flood third parties); so only the ports are decided.
    /// </summary>
    private static TransportDecision NegotiateClientPorts(TransportSpec offer, TransportContext context)
    {
        (int rtp, int rtcp) = offer.ClientPort!.Value;
        if (rtp == rtcp)
        {
            return new TransportDecision(TransportRefusalReason.ClientPortsEqual, SessionTransport.Udp, (rtp, rtcp));
        }

        // Media and reports sent to the server's own sockets would come back as if a client had sent them.
        if (context.ClientOnServerHost)
        {
            foreach (int port in (ReadOnlySpan<int>)[rtp, rtcp])
            {
                if (context.ServerUdpPorts.Contains(port))
                {
                    return new TransportDecision(TransportRefusalReason.ClientPortIsServerPort, SessionTransport.Udp, (rtp, rtcp), port);
                }
            }
        }

        return new TransportDecision(TransportRefusalReason.None, SessionTransport.Udp, (rtp, rtcp));
    }

    private static TransportDecision Refuse(TransportRefusalReason reason, SessionTransport transport) =>
        new(reason, transport, default);
}
