using MediaServer.Core.Streams;
using MediaServer.Media.Rtcp;

namespace MediaServer.Core.Egress;

/// <summary>
/// The RTP sender state of one outgoing track, the same for every egress protocol: the SSRC the
/// receiver sees (ours, never the publisher's), the next sequence number, the offset added to the
/// publisher's timestamps, the packet and octet counts, and the sender report built from them.
/// Touched only by the track's egress loop; no allocation.
/// </summary>
public sealed class RtpSender
{
    private const string Cname = "mediaserver";

    private ushort _nextSequenceNumber;

    public RtpSender(uint ssrc, ushort firstSequenceNumber)
    {
        Ssrc = ssrc;
        _nextSequenceNumber = firstSequenceNumber;
    }

    public uint Ssrc { get; }

    /// <summary>The sequence number the next packet will carry.</summary>
    public ushort NextSequenceNumber => _nextSequenceNumber;

    /// <summary>Added (mod 2^32) to the publisher's RTP timestamps, and to those of its sender reports.</summary>
    public uint TimestampOffset { get; set; }

    /// <summary>The RTP timestamp the receiver saw last: a sender report's without the publisher's mapping.</summary>
    public uint LastTimestamp { get; set; }

    public uint PacketsSent { get; private set; }

    /// <summary>Payload octets sent (RTP headers excluded, RFC 3550 §6.4.1).</summary>
    public uint OctetsSent { get; private set; }

    /// <summary>The sequence number for the packet about to be sent; the next one follows it.</summary>
    public ushort TakeSequenceNumber() => _nextSequenceNumber++;

    /// <summary>Counts a packet sent with <paramref name="payloadLength"/> bytes of payload, for the sender reports.</summary>
    public void OnSent(int payloadLength)
    {
        PacketsSent++;
        OctetsSent += (uint)payloadLength;
    }

    /// <summary>
    /// Writes a sender report and the CNAME that must go with it (RFC 3550 §6.1) into
    /// <paramref name="destination"/>; returns its length. The publisher's NTP/RTP pair holds for
    /// this track's timeline moved by <see cref="TimestampOffset"/>, so A/V sync holds for the
    /// receiver; without one, the wall clock and <see cref="LastTimestamp"/> stand in.
    /// </summary>
    public int WriteSenderReport(Span<byte> destination, SenderReportMapping? mapping) =>
        WriteSenderReport(destination, mapping, NtpTime.FromDateTime(DateTime.UtcNow));

    /// <summary>As <see cref="WriteSenderReport(Span{byte}, SenderReportMapping?)"/>, with the wall clock given.</summary>
    public int WriteSenderReport(Span<byte> destination, SenderReportMapping? mapping, ulong ntpNow)
    {
        var report = new RtcpSenderReport(
            Ssrc,
            mapping?.NtpTimestamp ?? ntpNow,
            mapping is null ? LastTimestamp : mapping.RtpTimestamp + TimestampOffset,
            PacketsSent,
            OctetsSent);
        int length = report.WriteTo(destination);
        return length + RtcpSourceDescription.WriteCname(destination[length..], Ssrc, Cname);
    }
}
