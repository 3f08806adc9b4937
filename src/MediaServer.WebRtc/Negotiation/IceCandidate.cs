namespace MediaServer.WebRtc.Negotiation;

/// <summary>A host candidate of the server (ICE-lite offers host candidates only).</summary>
public readonly record struct IceCandidate(string Address, int Port)
{
    /// <summary>The a=candidate value; priority follows RFC 8445 §5.1.2.1 for host candidates (type pref 126).</summary>
    public string ToSdpValue(int index)
    {
        uint priority = (126u << 24) | ((uint)(65535 - index) << 8) | 255u;
        return $"{index + 1} 1 udp {priority} {Address} {Port} typ host";
    }
}
