using MediaServer.WebRtc;
using System.Text;
using MediaServer.Core.Streams;
using MediaServer.Media.Sdp;
using MediaServer.WebRtc.Negotiation;
using MediaServer.WebRtc.Whep;

namespace MediaServer.Fuzz.Targets;

/// <summary>
/// What a WHEP POST hands the server: the resource path (<see cref="WebRtcResourcePath.Whep.TrySplit"/>) and
/// the SDP offer (<see cref="WebRtcOffer.TryParse"/>), answered by <see cref="AnswerBuilder"/>
/// against a camera's H.264 + AAC + Opus tracks. An offer that parses must meet what the parser
/// promises (RFC 8839 credential lengths, a mid on every m-section, DTLS-SRTP), and its answer
/// must be SDP that parses, with one m-section per offered one, in order.
/// </summary>
public static class WhepTarget
{
    private static readonly LocalTransportDescription Local = new(
        "serverufragserverufrag", "serverpasswordserverpassword0000", "sha-256 " + string.Join(':', Enumerable.Repeat("AB", 32)),
        [new IceCandidate("127.0.0.1", 8189)]);

    private static readonly IReadOnlyList<MediaTrack> Tracks = CameraTracks();

    public static FuzzTarget Target { get; } = new(
        "whep",
        "WebRtcResourcePath.Whep.TrySplit, WebRtcOffer.TryParse (SDP, ICE credentials, DTLS fingerprint), AnswerBuilder",
        Run,
        Seeds);

    public static void Run(ReadOnlySpan<byte> data)
    {
        string text = Encoding.UTF8.GetString(data);
        int newline = text.IndexOf('\n', StringComparison.Ordinal);
        CheckPath(newline < 0 ? text : text[..newline]);
        CheckOffer(newline < 0 ? text : text[(newline + 1)..]);
    }

    public static void CheckPath(string path)
    {
        if (!WebRtcResourcePath.Whep.TrySplit(path, out string streamPath, out string? resourceId))
        {
            return;
        }

        InvariantViolationException.Unless(streamPath.Length > 0 && path.StartsWith(streamPath, StringComparison.Ordinal), $"stream path '{streamPath}' is not a prefix of '{path}'");
        InvariantViolationException.Unless(resourceId is null || (resourceId.Length > 0 && !resourceId.Contains('/', StringComparison.Ordinal)), $"resource id '{resourceId}'");
    }

    public static void CheckOffer(string sdp)
    {
        if (!WebRtcOffer.TryParse(sdp, out WebRtcOffer? offer, out string? error))
        {
            InvariantViolationException.Unless(offer is null && !string.IsNullOrEmpty(error), "an offer failure without a reason");
            return;
        }

        InvariantViolationException.Unless(offer!.IceUfrag.Length is >= 4 and <= 256, $"ice-ufrag of {offer.IceUfrag.Length} characters accepted");
        InvariantViolationException.Unless(offer.IcePwd.Length is >= 22 and <= 256, $"ice-pwd of {offer.IcePwd.Length} characters accepted");
        InvariantViolationException.Unless(offer.Fingerprint.Hash.Length >= 32, "a fingerprint shorter than SHA-256");
        foreach (MediaDescription media in offer.Description.Media)
        {
            InvariantViolationException.Unless(media.GetAttribute("mid") is not null, "an m-section without mid accepted");
        }

        OfferRejection rejection = AnswerBuilder.TryBuild(offer, Tracks, Local, out WebRtcAnswer? answer);
        InvariantViolationException.Unless(Enum.IsDefined(rejection) && (rejection == OfferRejection.None) == (answer is not null), $"answer outcome {rejection}");
        if (answer is null)
        {
            return;
        }

        InvariantViolationException.Unless(SessionDescription.TryParse(answer.Sdp, out SessionDescription? parsed, out string? answerError), $"the answer does not parse: {answerError}");
        InvariantViolationException.Unless(parsed!.Media.Count == offer.Description.Media.Count, "the answer has a different number of m-sections");
        for (int i = 0; i < parsed.Media.Count; i++)
        {
            MediaDescription offered = offer.Description.Media[i];
            MediaDescription answered = parsed.Media[i];
            InvariantViolationException.Unless(answered.Media == offered.Media, $"m-section {i} changed kind");
        }

        InvariantViolationException.Unless(answer.Tracks.Select(t => t.Mid).Distinct().Count() == answer.Tracks.Count, "two answered tracks share a mid");
        foreach (NegotiatedTrack track in answer.Tracks)
        {
            MediaDescription offered = offer.Description.Media.Find(m => m.GetAttribute("mid") == track.Mid)!;
            // Numerically: "0111" offers payload type 111 as much as "111" does.
            InvariantViolationException.Unless(
                offered.Formats.Exists(f => int.TryParse(f, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pt) && pt == track.PayloadType),
                $"payload type {track.PayloadType} was not offered");
        }
    }

    private static List<MediaTrack> CameraTracks()
    {
        const string camera =
            "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=cam\r\nt=0 0\r\n" +
            "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1;profile-level-id=42e01f\r\n" +
            "m=audio 0 RTP/AVP 97\r\na=rtpmap:97 mpeg4-generic/48000/2\r\na=fmtp:97 streamtype=5;mode=AAC-hbr;sizelength=13\r\n" +
            "m=audio 0 RTP/AVP 111\r\na=rtpmap:111 opus/48000/2\r\n";
        if (!SessionDescription.TryParse(camera, out SessionDescription? description, out string? error))
        {
            throw new InvalidOperationException("the camera SDP of the whep target does not parse: " + error);
        }

        return description!.Media.Select((m, i) => new MediaTrack(i, m)).ToList();
    }

    /// <summary>A browser's recvonly offer in the shape Chromium sends (trimmed to the lines the server reads).</summary>
    public static string BrowserOffer(string ufrag = "6lQI", string pwd = "0ELvEfvd0BqeEC2Qvpf6Y63Z") =>
        "v=0\r\no=- 1667882562957334867 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\na=msid-semantic: WMS\r\n" +
        "m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n" +
        $"a=ice-ufrag:{ufrag}\r\na=ice-pwd:{pwd}\r\na=ice-options:trickle\r\n" +
        "a=fingerprint:sha-256 5B:6A:23:74:52:E5:57:F2:2D:83:87:E9:63:64:C7:A7:40:E1:32:0E:1C:8C:4F:7C:BF:7E:5F:12:A9:BD:20:07\r\n" +
        "a=setup:actpass\r\na=mid:0\r\na=recvonly\r\na=rtcp-mux\r\na=rtcp-rsize\r\n" +
        "a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack\r\na=rtcp-fb:96 nack pli\r\na=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\n" +
        "a=rtpmap:102 H264/90000\r\na=rtcp-fb:102 ccm fir\r\na=rtcp-fb:102 nack\r\na=rtcp-fb:102 nack pli\r\n" +
        "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f\r\n" +
        "a=rtpmap:103 rtx/90000\r\na=fmtp:103 apt=102\r\n" +
        "m=audio 9 UDP/TLS/RTP/SAVPF 111 0 8\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n" +
        $"a=ice-ufrag:{ufrag}\r\na=ice-pwd:{pwd}\r\n" +
        "a=fingerprint:sha-256 5B:6A:23:74:52:E5:57:F2:2D:83:87:E9:63:64:C7:A7:40:E1:32:0E:1C:8C:4F:7C:BF:7E:5F:12:A9:BD:20:07\r\n" +
        "a=setup:actpass\r\na=mid:1\r\na=recvonly\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\na=rtcp-fb:111 transport-cc\r\n" +
        "a=fmtp:111 minptime=10;useinbandfec=1\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n";

    private static IEnumerable<byte[]> Seeds()
    {
        // The path line first (what TrySplit sees), then the offer.
        yield return Encoding.UTF8.GetBytes("cam1/whep\n" + BrowserOffer());
        yield return Encoding.UTF8.GetBytes("site/door/whep/0123456789abcdef0123456789abcdef\n" + BrowserOffer("abcd", "0123456789012345678901"));
    }
}
