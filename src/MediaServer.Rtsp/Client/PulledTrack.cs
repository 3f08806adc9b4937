using System.Buffers.Binary;
using System.Net;
using MediaServer.Media.Rtcp;

namespace MediaServer.Rtsp.Client;

/// <summary>
/// One track of a pulled camera as the client receives it: where its SETUP went, how its packets
/// arrive (interleaved channels, or a UDP port pair), and what its receiver reports say (reception
/// statistics and the camera's last sender report). Written by the ingest thread only.
/// </summary>
internal sealed class PulledTrack
{
    public PulledTrack(int index, string setupUrl, int clockRate)
    {
        Index = index;
        SetupUrl = setupUrl;
        ClockRate = clockRate > 0 ? clockRate : 90000;
    }

    public int Index { get; }

    public string SetupUrl { get; }

    public int ClockRate { get; }

    public ReceptionStatistics Reception { get; } = new();

    /// <summary>Interleaved channels (RTP, RTCP) the camera confirmed; TCP only.</summary>
    public (int Rtp, int Rtcp) Channels { get; set; }

    /// <summary>Our UDP sockets, bound to an even/odd port pair; UDP only.</summary>
    public UdpPortPair? Udp { get; set; }

    /// <summary>Where the camera's UDP comes from: the SETUP answer's <c>source</c>, else the RTSP peer's address.</summary>
    public IPAddress? CameraAddress { get; set; }

    /// <summary>The camera's RTCP port (server_port's second), where receiver reports go; 0 when it named none.</summary>
    public int CameraRtcpPort { get; set; }

    /// <summary>The camera's last sender report's NTP time and when it arrived (ms), for LSR/DLSR.</summary>
    public ulong LastSenderReportNtp { get; private set; }

    public long LastSenderReportAt { get; private set; }

    /// <summary>Counts one RTP packet for the receiver reports.</summary>
    public void OnRtp(ReadOnlySpan<byte> header, long arrivalTicks)
    {
        if (header.Length < 12 || header[0] >> 6 != 2)
        {
            return;
        }

        long arrival = (long)(arrivalTicks * ((double)ClockRate / System.Diagnostics.Stopwatch.Frequency));
        Reception.OnPacket(
            BinaryPrimitives.ReadUInt32BigEndian(header[8..]),
            BinaryPrimitives.ReadUInt16BigEndian(header[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(header[4..]),
            arrival);
    }

    /// <summary>Reads an RTCP compound from the camera; true when it says goodbye (BYE).</summary>
    public bool OnRtcp(ReadOnlySpan<byte> compound)
    {
        var reader = new RtcpCompoundReader(compound);
        bool goodbye = false;
        while (reader.TryReadNext(out RtcpPacketType type, out _, out ReadOnlySpan<byte> packet))
        {
            if (type == RtcpPacketType.SenderReport && RtcpSenderReport.TryParse(packet, out RtcpSenderReport report))
            {
                LastSenderReportNtp = report.NtpTimestamp;
                LastSenderReportAt = Environment.TickCount64;
            }
            else if (type == RtcpPacketType.Goodbye)
            {
                goodbye = true;
            }
        }

        return goodbye;
    }

    /// <summary>Writes this track's receiver report (RR and CNAME); 0 before its first packet.</summary>
    public int WriteReceiverReport(Span<byte> destination, uint reporterSsrc)
    {
        if (!Reception.TryCreateReportBlock(Environment.TickCount64, LastSenderReportNtp, LastSenderReportAt, out RtcpReportBlock block))
        {
            return 0;
        }

        int length = RtcpReceiverReport.Write(destination, reporterSsrc, [block]);
        return length + RtcpSourceDescription.WriteCname(destination[length..], reporterSsrc, "mediaserver");
    }

    public void CloseSockets()
    {
        Udp?.Dispose();
    }
}
