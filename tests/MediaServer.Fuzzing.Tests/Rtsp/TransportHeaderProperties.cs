using MediaServer.Fuzz.Targets;
using MediaServer.Fuzzing.Tests.Generators;
using MediaServer.Rtsp.Protocol;

namespace MediaServer.Fuzzing.Tests.Rtsp;

/// <summary>SETUP's Transport header: never an exception, a typed error for what is malformed, and what the server writes parses back unchanged.</summary>
public class TransportHeaderProperties
{
    private static readonly string[] Grammar =
    [
        "RTP/AVP", "RTP/AVP/TCP", "RTP/AVP/UDP", "RTP/SAVP", "/", ";", ";", ",", "=", "-", "\"", " ", "unicast", "multicast",
        "interleaved=", "client_port=", "server_port=", "port=", "ttl=", "ssrc=", "mode=", "mode=\"PLAY\"", "record",
        "destination=", "source=", "append", "DEADBEEF", "FFFFFFFFF", "0-1", "65535-65536",
    ];

    [Fact]
    public void Transport_shaped_text_gives_specs_or_a_typed_error_and_written_specs_parse_back() =>
        TokenSoup.Of(30, Grammar).Sample(RtspTarget.CheckTransport, iter: Budget.Cheap);

    private static readonly Gen<(int, int)?> Pair = Gen.Select(Gen.Int[1, 65534], Gen.Bool, (n, present) => present ? (n, n + 1) : ((int, int)?)null);

    private static readonly Gen<TransportSpec> Specs =
        Gen.Select(
            Gen.OneOf("RTP/AVP", "RTP/AVP/TCP", "RTP/AVP/UDP"),
            Gen.Bool,
            Gen.Select(Gen.Int[0, 254], Gen.Bool, (n, present) => present ? (n, n + 1) : ((int, int)?)null),
            Pair,
            Pair,
            Gen.Select(Gen.UInt, Gen.Bool, (ssrc, present) => present ? ssrc : (uint?)null),
            Gen.OneOf<string?>(null, "play", "record"),
            Gen.Bool)
        .Select((protocol, unicast, interleaved, client, server, ssrc, mode, append) => new TransportSpec
        {
            Protocol = protocol,
            Lower = protocol.EndsWith("TCP", StringComparison.Ordinal) ? LowerTransport.Tcp : LowerTransport.Udp,
            IsUnicast = unicast,
            Interleaved = interleaved,
            ClientPort = client,
            ServerPort = server,
            Ssrc = ssrc,
            Mode = mode,
            Append = append,
        });

    [Fact]
    public void A_spec_the_server_writes_parses_back_to_the_same_spec() =>
        Specs.Sample(spec =>
        {
            string written = spec.Format();
            Assert.True(TransportHeader.TryParse(written, out IReadOnlyList<TransportSpec> parsed, out TransportParseError error, out string? message), message);
            Assert.Equal(TransportParseError.None, error);
            TransportSpec back = Assert.Single(parsed);
            Assert.Equal((spec.Protocol, spec.Lower, spec.IsUnicast, spec.Interleaved, spec.ClientPort, spec.ServerPort, spec.Ssrc, spec.Mode, spec.Append),
                (back.Protocol, back.Lower, back.IsUnicast, back.Interleaved, back.ClientPort, back.ServerPort, back.Ssrc, back.Mode, back.Append));
        }, iter: Budget.Text);
}
