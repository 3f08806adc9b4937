using MediaServer.Fuzz.Targets;
using MediaServer.Fuzzing.Tests.Generators;
using MediaServer.Media.Rtp;
using MediaServer.WebRtc.Stun;

namespace MediaServer.Fuzzing.Tests.Rtp;

/// <summary>
/// The RTP fixed header (RFC 3550 §5.1): every field of a well-formed packet is read back, any
/// cut or damage gives a typed error or a header whose lengths stay inside the packet.
/// </summary>
public class RtpHeaderProperties
{
    private static readonly List<byte[]> Seeds = RtpTarget.Target.Seeds().ToList();

    [Fact]
    public void A_packet_laid_out_per_rfc_3550_reads_back_field_for_field() =>
        RtpPacket.Gen.Sample(packet =>
        {
            byte[] bytes = packet.ToBytes();
            Assert.Equal(RtpParseError.None, RtpHeader.TryParse(bytes, out RtpHeader header));
            Assert.Equal((packet.Marker, packet.PayloadType, packet.SequenceNumber, packet.Timestamp, packet.Ssrc),
                (header.Marker, header.PayloadType, header.SequenceNumber, header.Timestamp, header.Ssrc));
            Assert.Equal(packet.HeaderLength, header.HeaderLength);
            Assert.Equal(packet.Payload, bytes.AsSpan(header.HeaderLength, header.PayloadLength).ToArray());
        }, iter: Budget.Cheap);

    [Fact]
    public void A_packet_cut_short_is_a_typed_error_or_a_header_inside_what_is_left() =>
        RtpPacket.Gen.SelectMany(p => Gen.Int[0, p.ToBytes().Length].Select(cut => (p, cut))).Sample(t =>
        {
            byte[] cut = t.p.ToBytes()[..t.cut];
            RtpParseError error = RtpHeader.TryParse(cut, out RtpHeader header);
            if (t.cut < t.p.HeaderLength)
            {
                Assert.NotEqual(RtpParseError.None, error);
            }

            if (error == RtpParseError.None)
            {
                RtpTarget.Check(cut, header);
            }
            else
            {
                Assert.True(Enum.IsDefined(error));
            }
        }, iter: Budget.Cheap);

    [Fact]
    public void Arbitrary_bytes_are_a_typed_error_or_a_consistent_header() =>
        Gen.Byte.Array[0, 80].Sample(bytes => RtpTarget.Run(bytes), iter: Budget.Cheap);

    [Fact]
    public void Damaged_packets_are_a_typed_error_or_a_consistent_header() =>
        Mutations.Bytes(Seeds).Sample(bytes => RtpTarget.Run(bytes), iter: Budget.Cheap);

    [Fact]
    public void Rtp_with_a_payload_type_outside_the_rtcp_range_is_classified_as_rtp() =>
        RtpPacket.Gen.Where(p => p.PayloadType is < 64 or > 95).Sample(packet =>
            Assert.Equal(PacketKind.Rtp, PacketClassifier.Classify(packet.ToBytes())), iter: Budget.Cheap);
}
