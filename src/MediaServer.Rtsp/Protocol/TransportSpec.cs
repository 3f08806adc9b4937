using System.Globalization;
using System.Text;

namespace MediaServer.Rtsp.Protocol;

/// <summary>
/// One transport specification of an RTSP Transport header (RFC 2326 §12.39). Parsed from a
/// client's SETUP by <see cref="TransportHeader"/>; the server copies the chosen one, fills in
/// what it decided (server ports, SSRC, channels) and writes it back with <see cref="Format"/>.
/// </summary>
public sealed class TransportSpec
{
    /// <summary>"RTP/AVP", "RTP/AVP/TCP", "RTP/AVP/UDP", or any other value verbatim.</summary>
    public string Protocol { get; set; } = "RTP/AVP";

    public LowerTransport Lower { get; set; } = LowerTransport.Udp;

    /// <summary>True unless the spec says "multicast"; RFC 2326 makes unicast the default.</summary>
    public bool IsUnicast { get; set; } = true;

    /// <summary>TCP interleaved channels (RTP, RTCP); a single "interleaved=n" means (n, n + 1).</summary>
    public (int First, int Second)? Interleaved { get; set; }

    /// <summary>The client's UDP ports (RTP, RTCP); a single "client_port=n" means (n, n + 1).</summary>
    public (int Rtp, int Rtcp)? ClientPort { get; set; }

    /// <summary>The server's UDP ports (RTP, RTCP), which the server fills in its answer.</summary>
    public (int Rtp, int Rtcp)? ServerPort { get; set; }

    /// <summary>Multicast ports ("port="), kept so a multicast spec round-trips.</summary>
    public (int Rtp, int Rtcp)? Port { get; set; }

    /// <summary>"play" or "record" (or another method), unquoted and lowercased; null when absent, which RFC 2326 reads as play.</summary>
    public string? Mode { get; set; }

    /// <summary>The synchronisation source, sent in hexadecimal.</summary>
    public uint? Ssrc { get; set; }

    public int? Ttl { get; set; }

    public string? Destination { get; set; }

    public string? Source { get; set; }

    /// <summary>The "append" flag of RECORD (append to an existing presentation).</summary>
    public bool Append { get; set; }

    /// <summary>
    /// True when the profile is RTP/AVP over UDP or TCP, the only family this server serves;
    /// anything else (RTP/SAVP, RAW/RAW/UDP, RTP/AVP/SCTP) is for the session to refuse with 461.
    /// </summary>
    public bool IsRtpAvp =>
        Lower != LowerTransport.Other
        && (Protocol.Equals("RTP/AVP", StringComparison.OrdinalIgnoreCase)
            || Protocol.Equals("RTP/AVP/TCP", StringComparison.OrdinalIgnoreCase)
            || Protocol.Equals("RTP/AVP/UDP", StringComparison.OrdinalIgnoreCase));

    /// <summary>True when the mode is record (publishing); mode matching is case-insensitive on the wire, and stored lowercased.</summary>
    public bool IsRecord => Mode is not null && Mode.Contains("record", StringComparison.Ordinal);

    /// <summary>A copy the server can fill in for its answer without changing the parsed request.</summary>
    public TransportSpec Clone() => (TransportSpec)MemberwiseClone();

    /// <summary>
    /// Writes the spec as a Transport header value, e.g.
    /// "RTP/AVP/TCP;unicast;interleaved=0-1;ssrc=1A2B3C4D;mode=play".
    /// </summary>
    public string Format()
    {
        var text = new StringBuilder(96);
        text.Append(Protocol);
        text.Append(IsUnicast ? ";unicast" : ";multicast");
        AppendValue(text, "destination", Destination);
        AppendValue(text, "source", Source);
        AppendRange(text, "interleaved", Interleaved);
        if (Append)
        {
            text.Append(";append");
        }

        if (Ttl is int ttl)
        {
            text.Append(CultureInfo.InvariantCulture, $";ttl={ttl}");
        }

        AppendRange(text, "port", Port);
        AppendRange(text, "client_port", ClientPort);
        AppendRange(text, "server_port", ServerPort);
        if (Ssrc is uint ssrc)
        {
            text.Append(CultureInfo.InvariantCulture, $";ssrc={ssrc:X8}");
        }

        if (Mode is not null)
        {
            // A single method is a token and goes bare (what ffmpeg and gortsplib send and accept);
            // anything longer is quoted as the RFC grammar requires.
            text.Append(IsBareMethod(Mode) ? $";mode={Mode}" : $";mode=\"{Mode}\"");
        }

        return text.ToString();
    }

    public override string ToString() => Format();

    private static bool IsBareMethod(string mode)
    {
        if (mode.Length == 0)
        {
            return false;
        }

        foreach (char c in mode)
        {
            if (c is not (>= 'a' and <= 'z' or >= 'A' and <= 'Z' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static void AppendValue(StringBuilder text, string name, string? value)
    {
        if (value is not null)
        {
            text.Append(';').Append(name).Append('=').Append(value);
        }
    }

    private static void AppendRange(StringBuilder text, string name, (int, int)? range)
    {
        if (range is (int first, int second))
        {
            text.Append(CultureInfo.InvariantCulture, $";{name}={first}-{second}");
        }
    }
}
