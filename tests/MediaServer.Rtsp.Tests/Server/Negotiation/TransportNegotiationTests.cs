using MediaServer.Rtsp.Protocol;
using MediaServer.Rtsp.Server;

namespace MediaServer.Rtsp.Tests.Server.Negotiation;

/// <summary>
/// The transport decision of a SETUP from the parsed Transport header and plain facts about the
/// session, connection and server: every refusal with its status code, and what is accepted.
/// </summary>
public class TransportNegotiationTests
{
    private const int ServerRtp = 8000;
    private const int ServerRtcp = 8001;

    [Theory]
    [InlineData("RTP/AVP;multicast;destination=224.2.0.1;port=5000-5001")]
    [InlineData("RTP/AVP/TCP;multicast;interleaved=0-1")]
    [InlineData("RTP/AVP;unicast")]
    [InlineData("RTP/SAVP;unicast;client_port=5000-5001")]
    [InlineData("RTP/AVP/SCTP;unicast;client_port=5000-5001")]
    [InlineData("RAW/RAW/UDP;unicast;client_port=5000-5001")]
    public void Offers_the_server_cannot_serve_leave_nothing_to_select(string header)
    {
        Assert.Null(TransportNegotiation.SelectOffer(Parse(header), udpOffered: true));
    }

    [Fact]
    public void Udp_is_not_selected_while_it_is_not_offered()
    {
        IReadOnlyList<TransportSpec> offers = Parse("RTP/AVP;unicast;client_port=5000-5001");
        Assert.Null(TransportNegotiation.SelectOffer(offers, udpOffered: false));
        Assert.Same(offers[0], TransportNegotiation.SelectOffer(offers, udpOffered: true));
    }

    [Fact]
    public void The_first_servable_offer_in_the_clients_order_is_selected()
    {
        IReadOnlyList<TransportSpec> offers = Parse("RTP/AVP;multicast,RTP/AVP/TCP;unicast;interleaved=4-5,RTP/AVP;unicast;client_port=5000-5001");
        Assert.Same(offers[1], TransportNegotiation.SelectOffer(offers, udpOffered: true));
    }

    [Fact]
    public void Interleaved_defaults_to_the_tracks_channel_pair()
    {
        TransportDecision decision = Negotiate("RTP/AVP/TCP;unicast", Context(trackIndex: 2));
        Assert.True(decision.IsAccepted);
        Assert.Equal(RtspStatusCode.Ok, decision.Status);
        Assert.Equal(SessionTransport.Interleaved, decision.Transport);
        Assert.Equal((4, 5), decision.Pair);
    }

    [Fact]
    public void Interleaved_keeps_the_channels_the_client_named()
    {
        TransportDecision decision = Negotiate("RTP/AVP/TCP;unicast;interleaved=10-11", Context(trackIndex: 0));
        Assert.True(decision.IsAccepted);
        Assert.Equal((10, 11), decision.Pair);
    }

    [Theory]
    [InlineData("RTP/AVP/TCP;unicast;interleaved=0-1", 1)]
    [InlineData("RTP/AVP/TCP;unicast;interleaved=1-2", 1)]
    [InlineData("RTP/AVP/TCP;unicast;interleaved=3-1", 1)]
    [InlineData("RTP/AVP/TCP;unicast;interleaved=6-6", 200)]
    public void Interleaved_channels_another_track_uses_or_one_channel_for_both_are_refused_with_461(string header, int taken)
    {
        TransportDecision decision = Negotiate(header, Context(trackIndex: 0) with { IsChannelTaken = channel => channel == taken });
        Assert.Equal(TransportRefusalReason.ChannelsTaken, decision.Refusal);
        Assert.Equal(RtspStatusCode.UnsupportedTransport, decision.Status);
        Assert.False(decision.IsAccepted);
    }

    [Theory]
    [InlineData(127, 254)]
    [InlineData(0, 0)]
    public void Interleaved_default_pair_within_the_channel_byte_is_the_tracks_own(int trackIndex, int rtp)
    {
        TransportDecision decision = Negotiate("RTP/AVP/TCP;unicast", Context(trackIndex));
        Assert.True(decision.IsAccepted);
        Assert.Equal((rtp, rtp + 1), decision.Pair);
    }

    [Theory]
    [InlineData(128)]
    [InlineData(300)]
    public void A_track_whose_default_pair_lies_beyond_channel_255_gets_the_lowest_free_pair(int trackIndex)
    {
        TransportDecision decision = Negotiate("RTP/AVP/TCP;unicast", Context(trackIndex) with { IsChannelTaken = channel => channel < 5 });
        Assert.True(decision.IsAccepted);
        Assert.Equal((6, 7), decision.Pair);
    }

    [Fact]
    public void A_track_whose_default_pair_lies_beyond_channel_255_is_refused_with_461_when_no_pair_is_free()
    {
        // Channel 255 alone is free: a pair needs two channels.
        TransportDecision decision = Negotiate("RTP/AVP/TCP;unicast", Context(trackIndex: 128) with { IsChannelTaken = channel => channel != 255 });
        Assert.Equal(TransportRefusalReason.NoChannelsLeft, decision.Refusal);
        Assert.Equal(RtspStatusCode.UnsupportedTransport, decision.Status);
        Assert.False(decision.IsAccepted);
    }

    [Fact]
    public void Udp_answers_to_the_client_ports_named()
    {
        TransportDecision decision = Negotiate("RTP/AVP;unicast;client_port=5000-5001", Context(trackIndex: 0));
        Assert.True(decision.IsAccepted);
        Assert.Equal(SessionTransport.Udp, decision.Transport);
        Assert.Equal((5000, 5001), decision.Pair);
    }

    [Fact]
    public void Udp_with_one_port_for_rtp_and_rtcp_is_refused_with_461()
    {
        TransportDecision decision = Negotiate("RTP/AVP;unicast;client_port=5000-5000", Context(trackIndex: 0));
        Assert.Equal(TransportRefusalReason.ClientPortsEqual, decision.Refusal);
        Assert.Equal(RtspStatusCode.UnsupportedTransport, decision.Status);
    }

    [Theory]
    [InlineData("RTP/AVP;unicast;client_port=8000-8001", 8000)]
    [InlineData("RTP/AVP;unicast;client_port=7000-8001", 8001)]
    [InlineData("RTP/AVP;unicast;client_port=9554-9555", 9554)]
    public void A_client_on_the_servers_host_naming_a_server_port_is_refused_with_461(string header, int refused)
    {
        TransportDecision decision = Negotiate(header, Context(trackIndex: 0) with { ClientOnServerHost = true });
        Assert.Equal(TransportRefusalReason.ClientPortIsServerPort, decision.Refusal);
        Assert.Equal(RtspStatusCode.UnsupportedTransport, decision.Status);
        Assert.Equal(refused, decision.RefusedPort);
    }

    [Fact]
    public void A_remote_client_may_use_the_numbers_of_the_servers_ports_on_its_own_host()
    {
        TransportDecision decision = Negotiate("RTP/AVP;unicast;client_port=8000-8001", Context(trackIndex: 0) with { ClientOnServerHost = false });
        Assert.True(decision.IsAccepted);
    }

    [Fact]
    public void Udp_inside_tls_is_refused_with_461()
    {
        TransportDecision decision = Negotiate("RTP/AVP;unicast;client_port=5000-5001", Context(trackIndex: 0) with { InsideTls = true });
        Assert.Equal(TransportRefusalReason.UdpInsideTls, decision.Refusal);
        Assert.Equal(RtspStatusCode.UnsupportedTransport, decision.Status);
        Assert.True(Negotiate("RTP/AVP/TCP;unicast", Context(trackIndex: 0) with { InsideTls = true }).IsAccepted);
    }

    [Theory]
    [InlineData("RTP/AVP;unicast;client_port=5000-5001", false)]
    [InlineData("RTP/AVP/TCP;unicast;interleaved=2-3", true)]
    public void A_track_on_another_transport_than_its_sessions_is_refused_with_461(string header, bool sessionOverUdp)
    {
        SessionTransport sessionTransport = sessionOverUdp ? SessionTransport.Udp : SessionTransport.Interleaved;
        TransportDecision decision = Negotiate(header, Context(trackIndex: 1) with { SessionTransport = sessionTransport });
        Assert.Equal(TransportRefusalReason.OtherThanSession, decision.Refusal);
        Assert.Equal(RtspStatusCode.UnsupportedTransport, decision.Status);
    }

    [Fact]
    public void A_track_the_session_has_set_up_already_is_refused_with_455()
    {
        TransportDecision decision = Negotiate("RTP/AVP/TCP;unicast", Context(trackIndex: 0) with { SessionTransport = SessionTransport.Interleaved, TrackSetUp = true });
        Assert.Equal(TransportRefusalReason.TrackAlreadySetUp, decision.Refusal);
        Assert.Equal(RtspStatusCode.MethodNotValidInThisState, decision.Status);
    }

    [Fact]
    public void A_new_session_beyond_the_connections_limit_is_refused_with_453()
    {
        TransportDecision decision = Negotiate("RTP/AVP/TCP;unicast", Context(trackIndex: 0) with { AtSessionLimit = true });
        Assert.Equal(TransportRefusalReason.SessionLimit, decision.Refusal);
        Assert.Equal(RtspStatusCode.NotEnoughBandwidth, decision.Status);
    }

    [Fact]
    public void Refusals_come_in_a_fixed_order()
    {
        // Each fault hides the ones after it: TLS, mixed transports, a track set up twice, the limit, then the channels.
        TransportContext all = Context(trackIndex: 0) with
        {
            InsideTls = true,
            SessionTransport = SessionTransport.Interleaved,
            TrackSetUp = true,
            AtSessionLimit = true,
            IsChannelTaken = _ => true,
        };
        Assert.Equal(TransportRefusalReason.UdpInsideTls, Negotiate("RTP/AVP;unicast;client_port=5000-5001", all).Refusal);
        Assert.Equal(TransportRefusalReason.OtherThanSession, Negotiate("RTP/AVP;unicast;client_port=5000-5001", all with { InsideTls = false }).Refusal);
        Assert.Equal(TransportRefusalReason.TrackAlreadySetUp, Negotiate("RTP/AVP/TCP;unicast", all).Refusal);
        Assert.Equal(TransportRefusalReason.SessionLimit, Negotiate("RTP/AVP/TCP;unicast", all with { TrackSetUp = false }).Refusal);
        Assert.Equal(TransportRefusalReason.ChannelsTaken, Negotiate("RTP/AVP/TCP;unicast", all with { TrackSetUp = false, AtSessionLimit = false }).Refusal);
    }

    [Fact]
    public void The_reply_to_a_reader_over_udp_names_both_port_pairs_and_the_ssrc()
    {
        TransportSpec offer = Parse("RTP/AVP;unicast;client_port=5000-5001;destination=203.0.113.9")[0];
        TransportDecision decision = TransportNegotiation.Negotiate(offer, Context(trackIndex: 0));
        TransportSpec reply = TransportNegotiation.Reply(offer, decision, publishing: false, ssrc: 0x1A2B3C4D, (ServerRtp, ServerRtcp));
        Assert.Equal("RTP/AVP;unicast;client_port=5000-5001;server_port=8000-8001;ssrc=1A2B3C4D", reply.Format());
    }

    [Fact]
    public void The_reply_to_a_publisher_over_tcp_names_the_channels_and_record()
    {
        TransportSpec offer = Parse("RTP/AVP/TCP;unicast;interleaved=2-3;mode=record")[0];
        TransportDecision decision = TransportNegotiation.Negotiate(offer, Context(trackIndex: 1));
        TransportSpec reply = TransportNegotiation.Reply(offer, decision, publishing: true, ssrc: 0x1A2B3C4D, default);
        Assert.Equal("RTP/AVP/TCP;unicast;interleaved=2-3;mode=record", reply.Format());
    }

    private static TransportContext Context(int trackIndex) => new()
    {
        TrackIndex = trackIndex,
        IsChannelTaken = _ => false,
        ServerUdpPorts = [ServerRtp, ServerRtcp, 9554],
    };

    private static TransportDecision Negotiate(string header, TransportContext context)
    {
        IReadOnlyList<TransportSpec> offers = Parse(header);
        TransportSpec offer = Assert.Single(offers);
        Assert.Same(offer, TransportNegotiation.SelectOffer(offers, udpOffered: true));
        return TransportNegotiation.Negotiate(offer, context);
    }

    private static IReadOnlyList<TransportSpec> Parse(string header)
    {
        Assert.True(TransportHeader.TryParse(header, out IReadOnlyList<TransportSpec> specs, out _));
        return specs;
    }
}
