using MediaServer.Rtsp.Protocol;

namespace MediaServer.Rtsp.Tests.Protocol;

public class TransportHeaderTests
{
    private static TransportSpec ParseSingle(string value)
    {
        Assert.True(TransportHeader.TryParse(value, out IReadOnlyList<TransportSpec> specs, out string? error), error);
        Assert.Null(error);
        return Assert.Single(specs);
    }

    [Fact]
    public void FFmpeg_TCP_publish()
    {
        TransportSpec spec = ParseSingle("RTP/AVP/TCP;unicast;interleaved=0-1;mode=record");

        Assert.Equal("RTP/AVP/TCP", spec.Protocol);
        Assert.Equal(LowerTransport.Tcp, spec.Lower);
        Assert.True(spec.IsUnicast);
        Assert.True(spec.IsRtpAvp);
        Assert.Equal((0, 1), spec.Interleaved);
        Assert.Equal("record", spec.Mode);
        Assert.True(spec.IsRecord);
        Assert.Null(spec.ClientPort);
        Assert.Null(spec.Ssrc);
    }

    [Fact]
    public void FFmpeg_UDP_play()
    {
        TransportSpec spec = ParseSingle("RTP/AVP/UDP;unicast;client_port=5000-5001");

        Assert.Equal(LowerTransport.Udp, spec.Lower);
        Assert.Equal((5000, 5001), spec.ClientPort);
        Assert.Null(spec.Interleaved);
        Assert.Null(spec.Mode);
        Assert.False(spec.IsRecord);
    }

    [Fact]
    public void VLC_UDP_play_without_lower_transport_means_UDP()
    {
        TransportSpec spec = ParseSingle("RTP/AVP;unicast;client_port=53410-53411");

        Assert.Equal("RTP/AVP", spec.Protocol);
        Assert.Equal(LowerTransport.Udp, spec.Lower);
        Assert.Equal((53410, 53411), spec.ClientPort);
    }

    [Theory]
    [InlineData("RTP/AVP;unicast;client_port=5000", 5000, 5001)]
    [InlineData("RTP/AVP;client_port=65534", 65534, 65535)]
    [InlineData("RTP/AVP;client_port=1-1", 1, 1)]
    public void A_single_client_port_means_that_port_and_the_next(string value, int rtp, int rtcp)
    {
        Assert.Equal((rtp, rtcp), ParseSingle(value).ClientPort);
    }

    [Fact]
    public void A_single_interleaved_channel_means_that_channel_and_the_next()
    {
        Assert.Equal((4, 5), ParseSingle("RTP/AVP/TCP;interleaved=4").Interleaved);
        Assert.Equal((254, 255), ParseSingle("RTP/AVP/TCP;interleaved=254").Interleaved);
    }

    [Fact]
    public void RFC_2326_12_39_example_lists_two_specs_in_preference_order()
    {
        Assert.True(TransportHeader.TryParse(
            "RTP/AVP;multicast;ttl=127;mode=\"PLAY\", RTP/AVP;unicast;client_port=3456-3457;mode=\"PLAY\"",
            out IReadOnlyList<TransportSpec> specs,
            out _));

        Assert.Equal(2, specs.Count);
        Assert.False(specs[0].IsUnicast);
        Assert.Equal(127, specs[0].Ttl);
        Assert.Equal("play", specs[0].Mode);
        Assert.True(specs[1].IsUnicast);
        Assert.Equal((3456, 3457), specs[1].ClientPort);
        Assert.Equal("play", specs[1].Mode);
    }

    [Fact]
    public void RFC_2326_14_1_server_answer_with_trailing_semicolon_and_server_port()
    {
        // The RFC's own example ends the first line with ";" before folding onto server_port.
        TransportSpec spec = ParseSingle("RTP/AVP/UDP;unicast;client_port=3056-3057; server_port=5000-5001");
        Assert.Equal((3056, 3057), spec.ClientPort);
        Assert.Equal((5000, 5001), spec.ServerPort);
    }

    [Fact]
    public void RFC_2326_multicast_example_with_destination_port_and_TTL()
    {
        TransportSpec spec = ParseSingle("RTP/AVP;multicast;destination=224.2.0.1;port=3456-3457;ttl=16");
        Assert.False(spec.IsUnicast);
        Assert.Equal("224.2.0.1", spec.Destination);
        Assert.Equal((3456, 3457), spec.Port);
        Assert.Equal(16, spec.Ttl);
    }

    [Fact]
    public void Quoted_upper_case_mode_is_unquoted_and_lowercased()
    {
        Assert.Equal("record", ParseSingle("RTP/AVP/TCP;unicast;interleaved=0-1;mode=\"RECORD\"").Mode);
        Assert.Equal("play", ParseSingle("RTP/AVP/TCP;unicast;interleaved=0-1;MODE=Play").Mode);
    }

    [Fact]
    public void Preferred_unsupported_transport_comes_first_and_the_supported_one_is_still_there()
    {
        // A client that prefers SRTP, then plain RTP over TCP: the session skips the first
        // (IsRtpAvp false) and serves the second; 461 only if none is usable.
        Assert.True(TransportHeader.TryParse(
            "RTP/SAVP;unicast;client_port=6970-6971,RTP/AVP/TCP;unicast;interleaved=0-1",
            out IReadOnlyList<TransportSpec> specs,
            out TransportParseError error,
            out string? message));

        Assert.Equal(TransportParseError.None, error);
        Assert.Null(message);
        Assert.Equal(2, specs.Count);
        Assert.Equal("RTP/SAVP", specs[0].Protocol);
        Assert.False(specs[0].IsRtpAvp);
        Assert.True(specs[1].IsRtpAvp);
        Assert.Equal(LowerTransport.Tcp, specs[1].Lower);
    }

    [Theory]
    [InlineData("RTP/AVP/SCTP;unicast", LowerTransport.Other)]
    [InlineData("RAW/RAW/UDP;unicast", LowerTransport.Udp)]
    [InlineData("RTP/SAVPF;unicast", LowerTransport.Udp)]
    [InlineData("MP2T/H2221/UDP;unicast", LowerTransport.Udp)]
    public void Well_formed_but_unsupported_profiles_parse_and_are_flagged(string value, LowerTransport lower)
    {
        // Unsupported is the session's 461, not a parse failure (400).
        TransportSpec spec = ParseSingle(value);
        Assert.Equal(value[..value.IndexOf(';', StringComparison.Ordinal)], spec.Protocol);
        Assert.Equal(lower, spec.Lower);
        Assert.False(spec.IsRtpAvp);
    }

    [Fact]
    public void Protocol_is_kept_verbatim_and_lower_transport_matches_any_case()
    {
        TransportSpec spec = ParseSingle("rtp/avp/tcp;interleaved=0-1");
        Assert.Equal("rtp/avp/tcp", spec.Protocol);
        Assert.Equal(LowerTransport.Tcp, spec.Lower);
        Assert.True(spec.IsRtpAvp);
    }

    [Fact]
    public void SSRC_is_hexadecimal()
    {
        Assert.Equal(0x1A2B3C4Du, ParseSingle("RTP/AVP;unicast;client_port=5000-5001;ssrc=1A2B3C4D").Ssrc);
        Assert.Equal(0xFFFFFFFFu, ParseSingle("RTP/AVP;ssrc=ffffffff").Ssrc);
        Assert.Equal(0xABCu, ParseSingle("RTP/AVP;ssrc=ABC").Ssrc);
    }

    [Fact]
    public void Unknown_parameters_and_empty_elements_are_ignored()
    {
        Assert.True(TransportHeader.TryParse(
            " , RTP/AVP;unicast;layers=2;x-retransmit=our-retransmit;;client_port=5000-5001 ,, ",
            out IReadOnlyList<TransportSpec> specs,
            out _));
        Assert.Equal((5000, 5001), Assert.Single(specs).ClientPort);
    }

    [Fact]
    public void Destination_source_and_append_are_read()
    {
        TransportSpec spec = ParseSingle("RTP/AVP;unicast;destination=\"192.0.2.5\";source=2001:db8::1;append;mode=record");
        Assert.Equal("192.0.2.5", spec.Destination);
        Assert.Equal("2001:db8::1", spec.Source);
        Assert.True(spec.Append);

        Assert.Null(ParseSingle("RTP/AVP;multicast;destination").Destination);
    }

    [Fact]
    public void Format_writes_the_documented_shape()
    {
        var spec = new TransportSpec
        {
            Protocol = "RTP/AVP/TCP",
            Lower = LowerTransport.Tcp,
            Interleaved = (0, 1),
            Ssrc = 0x1A2B3C4D,
            Mode = "play",
        };
        Assert.Equal("RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=1A2B3C4D;mode=play", spec.Format());
    }

    [Fact]
    public void Format_of_a_server_UDP_answer()
    {
        TransportSpec answer = ParseSingle("RTP/AVP;unicast;client_port=53410-53411").Clone();
        answer.ServerPort = (8000, 8001);
        answer.Ssrc = 0x0000BEEF;

        Assert.Equal("RTP/AVP;unicast;client_port=53410-53411;server_port=8000-8001;ssrc=0000BEEF", answer.Format());
    }

    [Fact]
    public void Clone_leaves_the_parsed_spec_alone()
    {
        TransportSpec parsed = ParseSingle("RTP/AVP;unicast;client_port=5000-5001");
        TransportSpec answer = parsed.Clone();
        answer.ServerPort = (9000, 9001);
        Assert.Null(parsed.ServerPort);
    }

    [Theory]
    [InlineData("RTP/AVP/TCP;unicast;interleaved=0-1;mode=record")]
    [InlineData("RTP/AVP;multicast;destination=224.2.0.1;ttl=16;port=3456-3457")]
    [InlineData("RTP/AVP/UDP;unicast;client_port=5000-5001;server_port=6000-6001;ssrc=00000001")]
    [InlineData("RTP/AVP;unicast;source=10.0.0.1;append;client_port=5000-5001;mode=\"play record\"")]
    public void Format_then_parse_round_trips(string value)
    {
        TransportSpec spec = ParseSingle(value);
        string formatted = spec.Format();
        Assert.Equal(value, formatted);
        TransportSpec again = ParseSingle(formatted);
        Assert.Equal(formatted, again.Format());
    }

    [Theory]
    [InlineData("", TransportParseError.Empty)]
    [InlineData(" , ,", TransportParseError.Empty)]
    [InlineData("RTP", TransportParseError.InvalidProtocol)]
    [InlineData("RTP//TCP;unicast", TransportParseError.InvalidProtocol)]
    [InlineData("RTP/AVP/TCP/X;unicast", TransportParseError.InvalidProtocol)]
    [InlineData("RTP AVP;unicast", TransportParseError.InvalidProtocol)]
    [InlineData(";unicast", TransportParseError.InvalidProtocol)]
    [InlineData("RTP/AVP;client_port=0", TransportParseError.InvalidPort)]
    [InlineData("RTP/AVP;client_port=0-1", TransportParseError.InvalidPort)]
    [InlineData("RTP/AVP;client_port=70000", TransportParseError.InvalidPort)]
    [InlineData("RTP/AVP;client_port=65535", TransportParseError.InvalidPort)]
    [InlineData("RTP/AVP;client_port=5000-65536", TransportParseError.InvalidPort)]
    [InlineData("RTP/AVP;client_port=5000-", TransportParseError.InvalidPort)]
    [InlineData("RTP/AVP;client_port=-5000", TransportParseError.InvalidPort)]
    [InlineData("RTP/AVP;client_port=abc", TransportParseError.InvalidPort)]
    [InlineData("RTP/AVP;client_port=+5000", TransportParseError.InvalidPort)]
    [InlineData("RTP/AVP;client_port=", TransportParseError.InvalidPort)]
    [InlineData("RTP/AVP;server_port=99999999999", TransportParseError.InvalidPort)]
    [InlineData("RTP/AVP/TCP;interleaved=256", TransportParseError.InvalidInterleavedChannel)]
    [InlineData("RTP/AVP/TCP;interleaved=255", TransportParseError.InvalidInterleavedChannel)]
    [InlineData("RTP/AVP/TCP;interleaved=0-256", TransportParseError.InvalidInterleavedChannel)]
    [InlineData("RTP/AVP/TCP;interleaved=-1", TransportParseError.InvalidInterleavedChannel)]
    [InlineData("RTP/AVP/TCP;interleaved", TransportParseError.InvalidInterleavedChannel)]
    [InlineData("RTP/AVP;ssrc=123456789", TransportParseError.InvalidSsrc)]
    [InlineData("RTP/AVP;ssrc=xyz", TransportParseError.InvalidSsrc)]
    [InlineData("RTP/AVP;ssrc=", TransportParseError.InvalidSsrc)]
    [InlineData("RTP/AVP;ssrc=-1", TransportParseError.InvalidSsrc)]
    [InlineData("RTP/AVP;multicast;ttl=256", TransportParseError.InvalidTtl)]
    [InlineData("RTP/AVP;multicast;ttl=x", TransportParseError.InvalidTtl)]
    [InlineData("RTP/AVP;mode=\"play", TransportParseError.InvalidParameter)]
    [InlineData("RTP/AVP;mode=", TransportParseError.InvalidParameter)]
    [InlineData("RTP/AVP;mode=pl\"ay", TransportParseError.InvalidParameter)]
    [InlineData("RTP/AVP;=5", TransportParseError.InvalidParameter)]
    [InlineData("RTP/AVP;client port=5000", TransportParseError.InvalidParameter)]
    [InlineData("RTP/AVP/TCP;interleaved=0-1, garbage\u0001", TransportParseError.InvalidProtocol)]
    public void Malformed_headers_fail_with_a_reason_and_a_message(string value, TransportParseError expected)
    {
        Assert.False(TransportHeader.TryParse(value, out IReadOnlyList<TransportSpec> specs, out TransportParseError error, out string? message));
        Assert.Equal(expected, error);
        Assert.False(string.IsNullOrWhiteSpace(message));
        Assert.Empty(specs);

        Assert.False(TransportHeader.TryParse(value, out _, out string? text));
        Assert.Equal(message, text);
    }

    [Fact]
    public void Commas_inside_quotes_do_not_split_specs()
    {
        TransportSpec spec = ParseSingle("RTP/AVP;unicast;mode=\"PLAY,RECORD\"");
        Assert.Equal("play,record", spec.Mode);
    }
}
