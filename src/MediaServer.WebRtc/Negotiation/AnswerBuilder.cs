using System.Globalization;
using System.Security.Cryptography;
using MediaServer.Core.Streams;
using MediaServer.Media.Formats;
using MediaServer.Media.Sdp;
using MediaServer.WebRtc.Stun;

namespace MediaServer.WebRtc.Negotiation;

/// <summary>
/// Answers a browser's offer (RFC 8829 JSEP, RFC 8843 BUNDLE) for one stream: each offered
/// m-section gets the first unused stream track of its kind that it can play, sendonly, with one
/// payload type; the rest are rejected with port 0. The server is ICE-lite and the DTLS server
/// (a=setup:passive) with rtcp-mux. The answer follows the offer's bundling: the accepted members
/// of the offer's BUNDLE group share one transport, and every other accepted m-section is a
/// transport of its own with its own ICE credentials (an offer without BUNDLE gets no BUNDLE).
/// </summary>
public static class AnswerBuilder
{
    /// <summary>
    /// <paramref name="local"/> describes the first transport; any further one gets fresh ICE
    /// credentials (the certificate and candidates are the server's, shared by all).
    /// </summary>
    public static OfferRejection TryBuild(
        WebRtcOffer offer,
        IReadOnlyList<MediaTrack> streamTracks,
        LocalTransportDescription local,
        out WebRtcAnswer? answer)
    {
        answer = null;
        List<MediaDescription> offered = offer.Description.Media;
        var used = new bool[streamTracks.Count];
        var matched = new NegotiatedTrack?[offered.Count];
        var remotes = new OfferedTransport?[offered.Count];
        OfferedTransport? bundleRemote = BundleTransport(offer);
        bool any = false;
        for (int i = 0; i < offered.Count; i++)
        {
            MediaDescription media = offered[i];
            string mid = media.GetAttribute("mid")!;
            bool inBundle = bundleRemote is not null && offer.BundleGroup.Contains(mid);
            OfferedTransport? remote = inBundle ? bundleRemote : offer.TransportOf(media);
            if (remote is null || !IsOpen(media, inBundle))
            {
                continue;
            }

            remotes[i] = remote;
            matched[i] = Match(media, streamTracks, used, mid);
            any |= matched[i] is not null;
        }

        if (!any)
        {
            return OfferRejection.NothingPlayable;
        }

        // RFC 8843 §7.3.1: the answer's group holds the accepted mids of the offer's group; its
        // tag (listed first) is the offerer's tag when that was accepted, else the next accepted.
        var group = new List<string>();
        foreach (string mid in offer.BundleGroup)
        {
            int index = offered.FindIndex(m => m.GetAttribute("mid") == mid);
            if (matched[index] is not null)
            {
                group.Add(mid);
            }
        }

        var transports = new List<AnsweredTransport>();
        if (group.Count > 0)
        {
            transports.Add(new AnsweredTransport(local, bundleRemote!, group));
        }

        var tracks = new List<NegotiatedTrack>();
        for (int i = 0; i < offered.Count; i++)
        {
            if (matched[i] is not { } track)
            {
                continue;
            }

            tracks.Add(OnItsTransport(track, group, transports, local, remotes[i]!));
        }

        var answerDescription = new SessionDescription
        {
            Origin = $"- {RandomNumberGenerator.GetInt32(int.MaxValue)} 1 IN IP4 0.0.0.0",
            SessionName = "-",
        };
        answerDescription.Attributes.Add(new SdpAttribute("ice-lite", null));
        if (group.Count > 0)
        {
            answerDescription.Attributes.Add(new SdpAttribute("group", "BUNDLE " + string.Join(' ', group)));
        }

        answerDescription.Attributes.Add(new SdpAttribute("msid-semantic", " WMS mediaserver"));
        for (int i = 0; i < offered.Count; i++)
        {
            string mid = offered[i].GetAttribute("mid")!;
            if (matched[i] is null)
            {
                answerDescription.Media.Add(Rejected(offered[i], mid, transports[0].Local));
                continue;
            }

            NegotiatedTrack track = tracks.Find(t => t.Mid == mid)!;
            bool taggedOrOwn = !group.Contains(mid) || group[0] == mid;
            answerDescription.Media.Add(Accepted(offered[i], track, transports[track.TransportIndex].Local, taggedOrOwn));
        }

        var leftOut = new List<string>();
        for (int i = 0; i < streamTracks.Count; i++)
        {
            if (!used[i])
            {
                MediaFormat format = streamTracks[i].Format;
                leftOut.Add(CodecMatcher.IsWebRtcPlayable(format.Codec)
                    ? $"track {i} ({format.EncodingName}): the offer has no m-section that accepts it"
                    : $"track {i} ({format.EncodingName}): browsers cannot play it and it is not transcoded");
            }
        }

        answer = new WebRtcAnswer(answerDescription.ToString(), tracks, leftOut, transports, group.Count > 0);
        return OfferRejection.None;
    }

    /// <summary>
    /// The transport a BUNDLE group's members share: the one the offerer's tagged m-section (the
    /// group's first) describes, or null when the offer does not bundle or that one has none.
    /// </summary>
    internal static OfferedTransport? BundleTransport(WebRtcOffer offer)
    {
        if (offer.BundleGroup.Count == 0)
        {
            return null;
        }

        string tag = offer.BundleGroup[0];
        MediaDescription tagged = offer.Description.Media.Find(m => m.GetAttribute("mid") == tag)!;
        return offer.TransportOf(tagged);
    }

    /// <summary>
    /// Whether the browser wants media in the m-section: not sendonly or inactive, and not port 0
    /// unless it is a bundle-only member of a BUNDLE group (RFC 8843 §6: port 0 then means "only
    /// if bundled", not "disabled").
    /// </summary>
    private static bool IsOpen(MediaDescription offered, bool inBundle)
    {
        if (offered.HasAttribute("sendonly") || offered.HasAttribute("inactive"))
        {
            return false;
        }

        return offered.Port != 0 || (inBundle && offered.HasAttribute("bundle-only"));
    }

    private static NegotiatedTrack? Match(MediaDescription offered, IReadOnlyList<MediaTrack> streamTracks, bool[] used, string mid)
    {
        for (int i = 0; i < streamTracks.Count; i++)
        {
            MediaFormat format = streamTracks[i].Format;
            bool sameKind = string.Equals(offered.Media, format.IsVideo ? "video" : format.IsAudio ? "audio" : "", StringComparison.OrdinalIgnoreCase);
            if (used[i] || !sameKind)
            {
                continue;
            }

            int pt = CodecMatcher.FindPayloadType(format, offered);
            if (pt < 0)
            {
                continue;
            }

            used[i] = true;
            var feedback = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            string prefix = pt.ToString(CultureInfo.InvariantCulture) + " ";
            foreach (string fb in offered.GetAttributes("rtcp-fb"))
            {
                if (fb.StartsWith(prefix, StringComparison.Ordinal) || fb.StartsWith("* ", StringComparison.Ordinal))
                {
                    feedback.Add(fb[(fb.IndexOf(' ', StringComparison.Ordinal) + 1)..].Trim());
                }
            }

            return new NegotiatedTrack(
                i,
                mid,
                format,
                pt,
                RandomSsrc(),
                format.IsVideo && feedback.Contains("nack"),
                format.IsVideo && feedback.Contains("nack pli"),
                format.IsVideo && feedback.Contains("ccm fir"));
        }

        return null;
    }

    internal static uint RandomSsrc()
    {
        Span<byte> bytes = stackalloc byte[4];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToUInt32(bytes) | 1u;
    }

    /// <summary>
    /// An accepted m-section. <paramref name="describesTransport"/> is true for an unbundled one and
    /// for the bundle's tagged one: they list the transport's candidates. The other bundled ones
    /// carry the BUNDLE address (the same port) without candidates, and never port 0 with
    /// a=bundle-only: webrtcbin 1.22 takes port 0 in an answer for a rejected m-section and then
    /// crashes when that track's RTP arrives; an offer's bundle-only is not echoed in the answer.
    /// Every accepted m-section repeats its transport's ICE credentials, fingerprint and DTLS role:
    /// webrtcbin refuses an answer whose bundled m-sections lack them or differ, and identical
    /// values say nothing new to any other parser.
    /// </summary>
    private static MediaDescription Accepted(MediaDescription offered, NegotiatedTrack track, LocalTransportDescription local, bool describesTransport)
    {
        string pt = track.PayloadType.ToString(CultureInfo.InvariantCulture);
        var media = new MediaDescription
        {
            Media = offered.Media,
            Port = local.Candidates.Count > 0 ? local.Candidates[0].Port : 9,
            Protocol = offered.Protocol,
            Connection = "IN IP4 0.0.0.0",
        };
        media.Formats.Add(pt);
        media.Attributes.Add(new SdpAttribute("mid", track.Mid));
        AddTransport(media, local);

        media.Attributes.Add(new SdpAttribute("sendonly", null));
        media.Attributes.Add(new SdpAttribute("rtcp-mux", null));
        if (offered.HasAttribute("rtcp-rsize"))
        {
            media.Attributes.Add(new SdpAttribute("rtcp-rsize", null));
        }

        RtpMap? offeredMap = offered.GetRtpMap(track.PayloadType);
        string rtpmap = offeredMap is not null
            ? offeredMap.ToString()
            : $"{pt} {track.Format.EncodingName}/{track.Format.ClockRate}";
        media.Attributes.Add(new SdpAttribute("rtpmap", rtpmap));
        AddFormatParameters(media, offered, track.PayloadType, pt, track.Nack, track.Pli, track.Fir);

        string ssrc = track.Ssrc.ToString(CultureInfo.InvariantCulture);
        media.Attributes.Add(new SdpAttribute("msid", $"mediaserver {track.Mid}"));
        media.Attributes.Add(new SdpAttribute("ssrc", $"{ssrc} cname:mediaserver"));
        media.Attributes.Add(new SdpAttribute("ssrc", $"{ssrc} msid:mediaserver {track.Mid}"));
        if (describesTransport)
        {
            AddCandidates(media, local);
        }

        return media;
    }

    /// <summary>The offer's fmtp for the chosen payload type, and the RTCP feedback both sides will use.</summary>
    internal static void AddFormatParameters(MediaDescription media, MediaDescription offered, int offeredPayloadType, string pt, bool nack, bool pli, bool fir)
    {
        string? fmtp = offered.GetFmtp(offeredPayloadType);
        if (!string.IsNullOrEmpty(fmtp))
        {
            media.Attributes.Add(new SdpAttribute("fmtp", $"{pt} {fmtp}"));
        }

        if (nack)
        {
            media.Attributes.Add(new SdpAttribute("rtcp-fb", $"{pt} nack"));
        }

        if (pli)
        {
            media.Attributes.Add(new SdpAttribute("rtcp-fb", $"{pt} nack pli"));
        }

        if (fir)
        {
            media.Attributes.Add(new SdpAttribute("rtcp-fb", $"{pt} ccm fir"));
        }
    }

    /// <summary>The server's candidates on the m-section that describes the transport, and that they are all.</summary>
    internal static void AddCandidates(MediaDescription media, LocalTransportDescription local)
    {
        for (int i = 0; i < local.Candidates.Count; i++)
        {
            media.Attributes.Add(new SdpAttribute("candidate", local.Candidates[i].ToSdpValue(i)));
        }

        media.Attributes.Add(new SdpAttribute("end-of-candidates", null));
    }

    /// <summary>
    /// A bundled track rides the bundle's transport; one outside the bundle gets a transport of its
    /// own, which the server tells apart from the others by its ICE ufrag.
    /// </summary>
    internal static NegotiatedTrack OnItsTransport(NegotiatedTrack track, List<string> group, List<AnsweredTransport> transports,
        LocalTransportDescription local, OfferedTransport remote)
    {
        if (group.Contains(track.Mid))
        {
            return track;
        }

        LocalTransportDescription own = transports.Count == 0
            ? local
            : local with { IceUfrag = IceCredentials.NewUfrag(), IcePwd = IceCredentials.NewPassword() };
        transports.Add(new AnsweredTransport(own, remote, [track.Mid]));
        return track with { TransportIndex = transports.Count - 1 };
    }

    internal static void AddTransport(MediaDescription media, LocalTransportDescription local)
    {
        media.Attributes.Add(new SdpAttribute("ice-ufrag", local.IceUfrag));
        media.Attributes.Add(new SdpAttribute("ice-pwd", local.IcePwd));
        media.Attributes.Add(new SdpAttribute("fingerprint", local.Fingerprint));
        media.Attributes.Add(new SdpAttribute("setup", "passive"));
    }

    /// <summary>
    /// RFC 8829 §5.3.1: a rejected m-section keeps a format, gets port 0, and leaves the bundle.
    /// It still names a transport (ICE credentials, fingerprint, setup) and a direction, since
    /// strict parsers (GStreamer's webrtcbin) refuse the whole answer when any m-section lacks them.
    /// </summary>
    internal static MediaDescription Rejected(MediaDescription offered, string mid, LocalTransportDescription local)
    {
        var media = new MediaDescription { Media = offered.Media, Port = 0, Protocol = offered.Protocol, Connection = "IN IP4 0.0.0.0" };
        media.Formats.AddRange(offered.Formats.Count > 0 ? offered.Formats.GetRange(0, 1) : ["0"]);
        media.Attributes.Add(new SdpAttribute("mid", mid));
        AddTransport(media, local);
        media.Attributes.Add(new SdpAttribute("inactive", null));
        if (offered.HasAttribute("rtcp-mux"))
        {
            media.Attributes.Add(new SdpAttribute("rtcp-mux", null));
        }

        return media;
    }
}
