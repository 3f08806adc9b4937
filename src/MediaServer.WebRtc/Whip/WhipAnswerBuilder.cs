using System.Globalization;
using System.Security.Cryptography;
using MediaServer.Media.Sdp;
using MediaServer.WebRtc.Negotiation;
using MediaServer.WebRtc.Stun;

namespace MediaServer.WebRtc.Whip;

/// <summary>
/// Answers a WHIP publisher's offer (RFC 9725, RFC 8829): each m-section the publisher sends on
/// gets its first payload type the server can publish unchanged (H.264 in packetization mode 1,
/// VP8, VP9, AV1; Opus, PCMU, PCMA, G.722), <c>recvonly</c>, with no RTX, FEC or header
/// extension, so the publisher sends plain RTP that readers of every protocol can take. The
/// bundling follows the offer as for WHEP. What is accepted becomes the published stream's session
/// description: one m= section per accepted track, with the publisher's payload type, rtpmap and fmtp.
/// </summary>
public static class WhipAnswerBuilder
{
    private static readonly string[] VideoCodecs = ["H264", "VP8", "VP9", "AV1"];
    private static readonly string[] AudioCodecs = ["OPUS", "PCMU", "PCMA", "G722"];

    public static OfferRejection TryBuild(WebRtcOffer offer, LocalTransportDescription local, out WhipNegotiation? negotiation)
    {
        negotiation = null;
        List<MediaDescription> offered = offer.Description.Media;
        var matched = new NegotiatedTrack?[offered.Count];
        var remotes = new OfferedTransport?[offered.Count];
        OfferedTransport? bundleRemote = AnswerBuilder.BundleTransport(offer);
        int accepted = 0;
        for (int i = 0; i < offered.Count; i++)
        {
            MediaDescription media = offered[i];
            string mid = media.GetAttribute("mid")!;
            bool inBundle = bundleRemote is not null && offer.BundleGroup.Contains(mid);
            OfferedTransport? remote = inBundle ? bundleRemote : offer.TransportOf(media);
            if (remote is null || !Sends(media, inBundle))
            {
                continue;
            }

            remotes[i] = remote;
            matched[i] = Match(media, mid, accepted);
            accepted += matched[i] is null ? 0 : 1;
        }

        if (accepted == 0)
        {
            return OfferRejection.NothingPlayable;
        }

        var group = new List<string>();
        foreach (string mid in offer.BundleGroup)
        {
            if (matched[offered.FindIndex(m => m.GetAttribute("mid") == mid)] is not null)
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
        var published = new SessionDescription
        {
            Origin = $"- {RandomNumberGenerator.GetInt32(int.MaxValue)} 1 IN IP4 0.0.0.0",
            SessionName = "WHIP",
        };
        var answer = new SessionDescription
        {
            Origin = $"- {RandomNumberGenerator.GetInt32(int.MaxValue)} 1 IN IP4 0.0.0.0",
            SessionName = "-",
        };
        answer.Attributes.Add(new SdpAttribute("ice-lite", null));
        if (group.Count > 0)
        {
            answer.Attributes.Add(new SdpAttribute("group", "BUNDLE " + string.Join(' ', group)));
        }

        for (int i = 0; i < offered.Count; i++)
        {
            if (matched[i] is not { } track)
            {
                continue;
            }

            track = AnswerBuilder.OnItsTransport(track, group, transports, local, remotes[i]!);
            tracks.Add(track);
            published.Media.Add(Published(offered[i], track));
        }

        for (int i = 0; i < offered.Count; i++)
        {
            string mid = offered[i].GetAttribute("mid")!;
            NegotiatedTrack? track = tracks.Find(t => t.Mid == mid);
            if (track is null)
            {
                answer.Media.Add(AnswerBuilder.Rejected(offered[i], mid, transports[0].Local));
                continue;
            }

            bool describesTransport = !group.Contains(mid) || group[0] == mid;
            answer.Media.Add(Accepted(offered[i], track, transports[track.TransportIndex].Local, describesTransport));
        }

        negotiation = new WhipNegotiation(
            new WebRtcAnswer(answer.ToString(), tracks, [], transports, group.Count > 0),
            published);
        return OfferRejection.None;
    }

    /// <summary>Whether the publisher sends media in the m-section (sendonly or sendrecv; open, or bundle-only in the bundle).</summary>
    private static bool Sends(MediaDescription offered, bool inBundle)
    {
        if (offered.HasAttribute("recvonly") || offered.HasAttribute("inactive"))
        {
            return false;
        }

        return offered.Port != 0 || (inBundle && offered.HasAttribute("bundle-only"));
    }

    /// <summary>The offer's first payload type (its preference) of a codec the server publishes as it comes.</summary>
    private static NegotiatedTrack? Match(MediaDescription offered, string mid, int trackIndex)
    {
        bool video = string.Equals(offered.Media, "video", StringComparison.OrdinalIgnoreCase);
        bool audio = string.Equals(offered.Media, "audio", StringComparison.OrdinalIgnoreCase);
        if (!video && !audio)
        {
            return null;
        }

        foreach (string format in offered.Formats)
        {
            if (!int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out int pt) || pt > 127)
            {
                continue;
            }

            RtpMap? map = offered.GetRtpMap(pt) ?? StaticMap(pt);
            if (map is null || !Publishable(map, video, FmtpParameters.Parse(offered.GetFmtp(pt))))
            {
                continue;
            }

            var description = new MediaDescription { Media = offered.Media, Protocol = "RTP/AVP" };
            description.Formats.Add(format);
            description.Attributes.Add(new SdpAttribute("rtpmap", map.ToString()));
            var feedback = Feedback(offered, pt);
            return new NegotiatedTrack(
                trackIndex,
                mid,
                Media.Formats.MediaFormat.FromMediaDescription(description),
                pt,
                OfferedSsrc(offered),
                video && feedback.Contains("nack"),
                video && feedback.Contains("nack pli"),
                video && feedback.Contains("ccm fir"));
        }

        return null;
    }

    private static bool Publishable(RtpMap map, bool video, IReadOnlyDictionary<string, string> fmtp)
    {
        string name = map.EncodingName.ToUpperInvariant();
        if (video)
        {
            return map.ClockRate == 90000 && Array.IndexOf(VideoCodecs, name) >= 0 &&
                (name != "H264" || (fmtp.TryGetValue("packetization-mode", out string? mode) && mode.Trim() == "1"));
        }

        return Array.IndexOf(AudioCodecs, name) >= 0 && (name != "OPUS" || map.ClockRate == 48000);
    }

    private static RtpMap? StaticMap(int pt) => pt switch
    {
        0 => new RtpMap(0, "PCMU", 8000, 1),
        8 => new RtpMap(8, "PCMA", 8000, 1),
        9 => new RtpMap(9, "G722", 8000, 1),
        _ => null,
    };

    private static HashSet<string> Feedback(MediaDescription offered, int pt)
    {
        var feedback = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        string prefix = pt.ToString(CultureInfo.InvariantCulture) + " ";
        foreach (string fb in offered.GetAttributes("rtcp-fb"))
        {
            if (fb.StartsWith(prefix, StringComparison.Ordinal) || fb.StartsWith("* ", StringComparison.Ordinal))
            {
                feedback.Add(fb[(fb.IndexOf(' ', StringComparison.Ordinal) + 1)..].Trim());
            }
        }

        return feedback;
    }

    /// <summary>
    /// The SSRC the publisher says it sends the m-section's media with: the first of an
    /// <c>a=ssrc-group:FID</c> (the second is its RTX), else the first <c>a=ssrc</c>; 0 when it says none.
    /// </summary>
    internal static uint OfferedSsrc(MediaDescription offered)
    {
        string? group = offered.GetAttributes("ssrc-group").FirstOrDefault(g => g.StartsWith("FID ", StringComparison.OrdinalIgnoreCase));
        string? first = group?.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1)
            ?? offered.GetAttribute("ssrc")?.Split(' ', 2)[0];
        return uint.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out uint ssrc) ? ssrc : 0;
    }

    private static MediaDescription Published(MediaDescription offered, NegotiatedTrack track)
    {
        string pt = track.PayloadType.ToString(CultureInfo.InvariantCulture);
        var media = new MediaDescription { Media = offered.Media, Port = 0, Protocol = "RTP/AVP" };
        media.Formats.Add(pt);
        media.Attributes.Add(new SdpAttribute("rtpmap", (offered.GetRtpMap(track.PayloadType) ?? StaticMap(track.PayloadType))!.ToString()));
        string? fmtp = offered.GetFmtp(track.PayloadType);
        if (!string.IsNullOrEmpty(fmtp))
        {
            media.Attributes.Add(new SdpAttribute("fmtp", $"{pt} {fmtp}"));
        }

        media.Control = $"trackID={track.StreamTrackIndex}";
        return media;
    }

    /// <summary>
    /// An accepted m-section: recvonly, the one payload type, and the feedback the server sends
    /// (NACK, PLI) when the publisher offered to take it; no a=extmap, so no header extensions.
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
        AnswerBuilder.AddTransport(media, local);
        media.Attributes.Add(new SdpAttribute("recvonly", null));
        media.Attributes.Add(new SdpAttribute("rtcp-mux", null));
        if (offered.HasAttribute("rtcp-rsize"))
        {
            media.Attributes.Add(new SdpAttribute("rtcp-rsize", null));
        }

        media.Attributes.Add(new SdpAttribute("rtpmap", (offered.GetRtpMap(track.PayloadType) ?? StaticMap(track.PayloadType))!.ToString()));
        AnswerBuilder.AddFormatParameters(media, offered, track.PayloadType, pt, track.Nack, track.Pli, track.Fir);

        if (describesTransport)
        {
            AnswerBuilder.AddCandidates(media, local);
        }

        return media;
    }
}
