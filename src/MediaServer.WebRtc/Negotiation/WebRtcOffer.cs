using MediaServer.Media.Sdp;
using MediaServer.WebRtc.Dtls;

namespace MediaServer.WebRtc.Negotiation;

/// <summary>
/// What the server needs from a browser's offer: its ICE credentials, its DTLS certificate
/// fingerprint, its BUNDLE group, and the m-sections to answer one by one.
/// </summary>
public sealed class WebRtcOffer
{
    private WebRtcOffer(SessionDescription description, string iceUfrag, string icePwd, DtlsFingerprint fingerprint, IReadOnlyList<string> bundleGroup)
    {
        Description = description;
        IceUfrag = iceUfrag;
        IcePwd = icePwd;
        Fingerprint = fingerprint;
        BundleGroup = bundleGroup;
    }

    public SessionDescription Description { get; }

    /// <summary>
    /// The mids of the offer's first a=group:BUNDLE that name an m-section, the offerer's tagged
    /// one first (RFC 8843 §7.2); empty when the offer does not bundle.
    /// </summary>
    public IReadOnlyList<string> BundleGroup { get; }

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
        // The lengths are those of the credentials as used, so whitespace around them cannot pad
        // a too-short one past the check.
        ufrag = ufrag.Trim();
        pwd = pwd.Trim();
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

        var mids = new HashSet<string>(StringComparer.Ordinal);
        foreach (MediaDescription media in description.Media)
        {
            if (!media.Protocol.Contains("SAVPF", StringComparison.OrdinalIgnoreCase) &&
                !media.Protocol.Contains("SAVP", StringComparison.OrdinalIgnoreCase))
            {
                error = $"m-section protocol '{media.Protocol}' is not DTLS-SRTP";
                return false;
            }

            // The answer names each m-section by its mid, in BUNDLE too (RFC 8843 §9.1): an empty,
            // spaced or repeated one would make that answer ambiguous.
            string? mid = media.GetAttribute("mid");
            if (mid is null)
            {
                error = "an m-section has no a=mid";
                return false;
            }

            if (mid.Length == 0 || mid.AsSpan().IndexOfAny(' ', '\t') >= 0 || !mids.Add(mid))
            {
                error = $"a=mid '{mid}' is empty, has spaces or names two m-sections";
                return false;
            }
        }

        offer = new WebRtcOffer(description, ufrag, pwd, parsedFingerprint!, BundleOf(description, mids));
        return true;
    }

    /// <summary>
    /// The transport the offer describes in <paramref name="media"/> (its own attributes, else the
    /// session's), or null when it has no usable ICE credentials or fingerprint.
    /// </summary>
    public OfferedTransport? TransportOf(MediaDescription media)
    {
        string? ufrag = (media.GetAttribute("ice-ufrag") ?? Description.GetAttribute("ice-ufrag"))?.Trim();
        string? pwd = (media.GetAttribute("ice-pwd") ?? Description.GetAttribute("ice-pwd"))?.Trim();
        string? fingerprint = (media.GetAttribute("fingerprint") ?? Description.GetAttribute("fingerprint"))?.Trim();
        if (ufrag is null || pwd is null || ufrag.Length is < 4 or > 256 || pwd.Length is < 22 or > 256 ||
            string.IsNullOrEmpty(fingerprint) ||
            DtlsFingerprint.TryParse(fingerprint, out DtlsFingerprint? parsed) != DtlsFingerprintError.None)
        {
            return null;
        }

        return new OfferedTransport(ufrag, pwd, parsed!);
    }

    private static List<string> BundleOf(SessionDescription description, HashSet<string> mids)
    {
        var group = new List<string>();
        foreach (SdpAttribute attribute in description.Attributes)
        {
            if (!string.Equals(attribute.Name, "group", StringComparison.OrdinalIgnoreCase) || attribute.Value is null)
            {
                continue;
            }

            string[] words = attribute.Value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0 || !string.Equals(words[0], "BUNDLE", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // One BUNDLE group is answered; a second one (rare) goes unbundled.
            foreach (string mid in words.AsSpan(1))
            {
                if (mids.Contains(mid) && !group.Contains(mid))
                {
                    group.Add(mid);
                }
            }

            break;
        }

        return group;
    }
}
