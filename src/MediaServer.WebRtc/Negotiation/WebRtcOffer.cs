using MediaServer.Media.Sdp;

namespace MediaServer.WebRtc.Negotiation;

/// <summary>
/// What the server needs from a browser's offer: its ICE credentials, its DTLS certificate
/// fingerprint, and the m-sections to answer one by one.
/// </summary>
public sealed class WebRtcOffer
{
    private WebRtcOffer(SessionDescription description, string iceUfrag, string icePwd, string fingerprint)
    {
        Description = description;
        IceUfrag = iceUfrag;
        IcePwd = icePwd;
        Fingerprint = fingerprint;
    }

    public SessionDescription Description { get; }

    public string IceUfrag { get; }

    public string IcePwd { get; }

    /// <summary>"sha-256 AB:CD:…", as a=fingerprint carries it.</summary>
    public string Fingerprint { get; }

    public static bool TryParse(string? sdp, out WebRtcOffer? offer, out string? error)
    {
        offer = null;
        if (!SessionDescription.TryParse(sdp, out SessionDescription? description, out error))
        {
            return false;
        }

        if (description!.Media.Count == 0)
        {
            error = "the offer has no m-section";
            return false;
        }

        // Session-level attributes apply to every m-section that does not repeat them (RFC 8839 §5).
        MediaDescription first = description.Media[0];
        string? ufrag = first.GetAttribute("ice-ufrag") ?? description.GetAttribute("ice-ufrag");
        string? pwd = first.GetAttribute("ice-pwd") ?? description.GetAttribute("ice-pwd");
        string? fingerprint = first.GetAttribute("fingerprint") ?? description.GetAttribute("fingerprint");
        if (string.IsNullOrWhiteSpace(ufrag) || string.IsNullOrWhiteSpace(pwd))
        {
            error = "the offer has no ice-ufrag/ice-pwd";
            return false;
        }

        // RFC 8839 §5.4: ufrag 4..256 and pwd 22..256 ice-chars; shorter passwords weaken integrity.
        if (ufrag.Length is < 4 or > 256 || pwd.Length is < 22 or > 256)
        {
            error = "the offer's ICE credentials have an invalid length";
            return false;
        }

        if (string.IsNullOrWhiteSpace(fingerprint) || !fingerprint.TrimStart().StartsWith("sha-256 ", StringComparison.OrdinalIgnoreCase))
        {
            error = "the offer has no sha-256 DTLS fingerprint";
            return false;
        }

        foreach (MediaDescription media in description.Media)
        {
            if (!media.Protocol.Contains("SAVPF", StringComparison.OrdinalIgnoreCase) &&
                !media.Protocol.Contains("SAVP", StringComparison.OrdinalIgnoreCase))
            {
                error = $"m-section protocol '{media.Protocol}' is not DTLS-SRTP";
                return false;
            }

            if (media.GetAttribute("mid") is null)
            {
                error = "an m-section has no a=mid";
                return false;
            }
        }

        offer = new WebRtcOffer(description, ufrag.Trim(), pwd.Trim(), fingerprint.Trim());
        return true;
    }
}
