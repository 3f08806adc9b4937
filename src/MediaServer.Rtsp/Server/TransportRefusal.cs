using MediaServer.Rtsp.Protocol;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// Why a SETUP's transport specification cannot be served, in the words of the log line that
/// goes with its 461: the client sees only the status, the operator sees what it asked for.
/// </summary>
internal static class TransportRefusal
{
    public static string Explain(TransportSpec spec, bool udpOffered)
    {
        if (!spec.IsUnicast)
        {
            return "multicast is not offered (unicast RTP/AVP over UDP or interleaved TCP only)";
        }

        if (!spec.IsRtpAvp)
        {
            return $"the profile {spec.Protocol} is not offered (RTP/AVP only)";
        }

        if (spec.Lower == LowerTransport.Udp && !udpOffered)
        {
            return "UDP is turned off (Rtsp:EnableUdp), use interleaved TCP";
        }

        return spec.Lower == LowerTransport.Udp && spec.ClientPort is null
            ? "UDP without client_port"
            : "not offered";
    }

    /// <summary>Every spec the client offered, each with its reason, for one log line.</summary>
    public static string ExplainAll(IReadOnlyList<TransportSpec> specs, bool udpOffered) =>
        string.Join("; ", specs.Select(spec => $"{spec.Format()}: {Explain(spec, udpOffered)}"));
}
