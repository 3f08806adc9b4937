using System.Globalization;
using System.Security.Cryptography;
using MediaServer.Core.Streams;
using MediaServer.Media.Formats;
using MediaServer.Media.Sdp;

namespace MediaServer.WebRtc.Negotiation;

/// <summary>
/// Answers a browser's offer (RFC 8829 JSEP, RFC 8843 BUNDLE) for one stream: each offered
/// m-section gets the first unused stream track of its kind that it can play, sendonly, with one
/// payload type; the rest are rejected with port 0. The server is ICE-lite and the DTLS server
/// (a=setup:passive), and bundles everything on one transport with rtcp-mux.
/// </summary>
public static class AnswerBuilder
{
    public static OfferRejection TryBuild(
        WebRtcOffer offer,
        IReadOnlyList<MediaTrack> streamTracks,
        LocalTransportDescription local,
        out WebRtcAnswer? answer)
    {
        answer = null;
        var used = new bool[streamTracks.Count];
        var tracks = new List<NegotiatedTrack>();
        var answerDescription = new SessionDescription
        {
            Origin = $"- {RandomNumberGenerator.GetInt32(int.MaxValue)} 1 IN IP4 0.0.0.0",
            SessionName = "-",
        };
        answerDescription.Attributes.Add(new SdpAttribute("ice-lite", null));

        var bundled = new List<string>();
        foreach (MediaDescription offered in offer.Description.Media)
        {
            string mid = offered.GetAttribute("mid")!;
            NegotiatedTrack? track = Match(offered, streamTracks, used, mid);
            if (track is null)
            {
                answerDescription.Media.Add(Rejected(offered, mid));
                continue;
            }

            tracks.Add(track);
            bundled.Add(mid);
            answerDescription.Media.Add(Accepted(offered, track, local));
        }

        if (tracks.Count == 0)
        {
            return OfferRejection.NothingPlayable;
        }

        answerDescription.Attributes.Add(new SdpAttribute("group", "BUNDLE " + string.Join(' ', bundled)));
        answerDescription.Attributes.Add(new SdpAttribute("msid-semantic", " WMS mediaserver"));

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

        answer = new WebRtcAnswer(answerDescription.ToString(), tracks, leftOut);
        return OfferRejection.None;
    }

    private static NegotiatedTrack? Match(MediaDescription offered, IReadOnlyList<MediaTrack> streamTracks, bool[] used, string mid)
    {
        if (offered.Port == 0 || offered.HasAttribute("sendonly") || offered.HasAttribute("inactive"))
        {
            return null;
        }

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

    private static uint RandomSsrc()
    {
        Span<byte> bytes = stackalloc byte[4];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToUInt32(bytes) | 1u;
    }

    private static MediaDescription Accepted(MediaDescription offered, NegotiatedTrack track, LocalTransportDescription local)
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
        media.Attributes.Add(new SdpAttribute("ice-ufrag", local.IceUfrag));
        media.Attributes.Add(new SdpAttribute("ice-pwd", local.IcePwd));
        media.Attributes.Add(new SdpAttribute("fingerprint", local.Fingerprint));
        media.Attributes.Add(new SdpAttribute("setup", "passive"));
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
        string? fmtp = offered.GetFmtp(track.PayloadType);
        if (!string.IsNullOrEmpty(fmtp))
        {
            media.Attributes.Add(new SdpAttribute("fmtp", $"{pt} {fmtp}"));
        }

        if (track.Nack)
        {
            media.Attributes.Add(new SdpAttribute("rtcp-fb", $"{pt} nack"));
        }

        if (track.Pli)
        {
            media.Attributes.Add(new SdpAttribute("rtcp-fb", $"{pt} nack pli"));
        }

        if (track.Fir)
        {
            media.Attributes.Add(new SdpAttribute("rtcp-fb", $"{pt} ccm fir"));
        }

        string ssrc = track.Ssrc.ToString(CultureInfo.InvariantCulture);
        media.Attributes.Add(new SdpAttribute("msid", $"mediaserver {track.Mid}"));
        media.Attributes.Add(new SdpAttribute("ssrc", $"{ssrc} cname:mediaserver"));
        media.Attributes.Add(new SdpAttribute("ssrc", $"{ssrc} msid:mediaserver {track.Mid}"));
        for (int i = 0; i < local.Candidates.Count; i++)
        {
            media.Attributes.Add(new SdpAttribute("candidate", local.Candidates[i].ToSdpValue(i)));
        }

        media.Attributes.Add(new SdpAttribute("end-of-candidates", null));
        return media;
    }

    /// <summary>RFC 8829 §5.3.1: a rejected m-section keeps its formats, gets port 0, and leaves the bundle.</summary>
    private static MediaDescription Rejected(MediaDescription offered, string mid)
    {
        var media = new MediaDescription { Media = offered.Media, Port = 0, Protocol = offered.Protocol, Connection = "IN IP4 0.0.0.0" };
        media.Formats.AddRange(offered.Formats.Count > 0 ? offered.Formats.GetRange(0, 1) : ["0"]);
        media.Attributes.Add(new SdpAttribute("mid", mid));
        media.Attributes.Add(new SdpAttribute("inactive", null));
        return media;
    }
}
