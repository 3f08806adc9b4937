using MediaServer.Media.Sdp;
using MediaServer.WebRtc.Dtls;

namespace MediaServer.WebRtc.Negotiation;

/// <summary>
/// What the server needs from a browser's offer: its ICE credentials, its DTLS certificate
/// fingerprint, and the m-sections to answer one by one.
/// </summary>
public sealed class WebRtcOffer
{
    private WebRtcOffer(SessionDescription description, string iceUfrag, string icePwd, DtlsFingerprint fingerprint)
    {
        Description = description;
        IceUfrag = iceUfrag;
        IcePwd = icePwd;
        Fingerprint = fingerprint;
    }

    public SessionDescription Description { get; }

    public string IceUfrag { get; }

    public string IcePwd { get; }

    /// <summary>The browser's certificate fingerprint (a=fingerprint), checked in the DTLS handshake.</summary>
    public DtlsFingerprint Fingerprint { get; }

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

        DtlsFingerprint? parsedFingerprint = null;
        if (string.IsNullOrWhiteSpace(fingerprint) ||
            DtlsFingerprint.TryParse(fingerprint.Trim(), out parsedFingerprint) != DtlsFingerprintError.None)
        {
            error = "the offer has no usable DTLS fingerprint (sha-256)";
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

        offer = new WebRtcOffer(description, ufrag.Trim(), pwd.Trim(), parsedFingerprint!);
        return true;
    }
}
