using System.Text;
using MediaServer.Media.Formats;
using MediaServer.Media.Formats.Aac;
using MediaServer.Media.Formats.H264;
using MediaServer.Media.Formats.H265;
using MediaServer.Media.Sdp;

namespace MediaServer.Fuzz.Targets;

/// <summary>
/// A publisher's ANNOUNCE body: <see cref="SessionDescription"/> parsing, then everything the
/// server derives from each m= section (format, rtpmap, fmtp, sprop parameter sets, AAC and H.265
/// depacketizer set-up). What parses must write back to SDP that parses to the same text.
/// </summary>
public static class SdpTarget
{
    public static FuzzTarget Target { get; } = new(
        "sdp",
        "SessionDescription parse/write, MediaFormat, RtpMap, FmtpParameters, sprop parameter sets, depacketizer fmtp",
        Run,
        Seeds);

    public static void Run(ReadOnlySpan<byte> data) => Check(Encoding.UTF8.GetString(data));

    public static void Check(string text)
    {
        if (!SessionDescription.TryParse(text, out SessionDescription? description, out string? error))
        {
            InvariantViolationException.Unless(description is null && !string.IsNullOrEmpty(error), "an SDP failure without a reason");
            return;
        }

        InvariantViolationException.Unless(description is not null && error is null, "an SDP success without a description");
        InvariantViolationException.Unless(description!.Media.Count <= SessionDescription.MaxMediaDescriptions, "more m= sections than the limit");
        string written = description.ToString();
        InvariantViolationException.Unless(
            SessionDescription.TryParse(written, out SessionDescription? again, out string? againError),
            $"written SDP does not parse: {againError}");
        InvariantViolationException.Unless(again!.ToString() == written, "written SDP does not round-trip");

        foreach (MediaDescription media in description.Media)
        {
            Derive(media);
        }
    }

    private static void Derive(MediaDescription media)
    {
        MediaFormat format = MediaFormat.FromMediaDescription(media);
        InvariantViolationException.Unless(format.PayloadType is >= -1 and <= 127, $"payload type {format.PayloadType}");
        foreach (string value in media.GetAttributes("rtpmap"))
        {
            if (RtpMap.TryParse(value, out RtpMap? map))
            {
                InvariantViolationException.Unless(map!.PayloadType is >= 0 and <= 127 && map.ClockRate > 0 && map.EncodingName.Length > 0,
                    $"rtpmap '{value}' parsed out of range");
                InvariantViolationException.Unless(RtpMap.TryParse(map.ToString(), out RtpMap? again) && again == map, $"rtpmap '{map}' does not round-trip");
            }
        }

        IReadOnlyDictionary<string, string> fmtp = format.Fmtp;
        if (H264ParameterSets.TryParseSprop(fmtp.GetValueOrDefault("sprop-parameter-sets"), out byte[]? sps, out byte[]? pps))
        {
            InvariantViolationException.Unless(
                sps!.Length > 0 && H264NalUnitType.Of(sps[0]) == H264NalUnitType.Sps && pps!.Length > 0 && H264NalUnitType.Of(pps[0]) == H264NalUnitType.Pps,
                "sprop-parameter-sets of the wrong types");
        }

        if (H265ParameterSets.TryParseSprop(fmtp, out byte[]? vps, out byte[]? sps265, out byte[]? pps265))
        {
            InvariantViolationException.Unless(vps!.Length >= 2 && sps265!.Length >= 2 && pps265!.Length >= 2, "H.265 parameter sets shorter than a NAL header");
        }

        _ = Mpeg4GenericDepacketizer.TryCreate(fmtp, NullSink.Instance, out _);
        _ = H265Depacketizer.TryCreate(fmtp, NullSink.Instance, out _);
    }

    private static IEnumerable<byte[]> Seeds()
    {
        // RFC 8866 §5 example.
        yield return Encoding.ASCII.GetBytes(
            "v=0\r\no=jdoe 3724394400 3724394405 IN IP4 198.51.100.1\r\ns=Call to John Smith\r\ni=SDP Offer #1\r\n" +
            "u=http://www.jdoe.example.com/home.html\r\ne=Jane Doe <jane@jdoe.example.com>\r\np=+1 617 555-6011\r\n" +
            "c=IN IP4 198.51.100.1\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0\r\nm=audio 49180 RTP/AVP 0\r\n" +
            "m=video 51372 RTP/AVP 99\r\nc=IN IP6 2001:db8::2\r\na=rtpmap:99 h263-1998/90000\r\n");
        // What ffmpeg announces for H.264 + AAC.
        yield return Encoding.ASCII.GetBytes(
            "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=No Name\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\na=tool:libavformat 61.7.100\r\n" +
            "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n" +
            "a=fmtp:96 packetization-mode=1; sprop-parameter-sets=Z2QAH6zZQFAFuhAAAAMAEAAAAwPA8YMZYA==,aOvjyyLA; profile-level-id=64001F\r\n" +
            "a=control:streamid=0\r\nm=audio 0 RTP/AVP 97\r\nb=AS:128\r\na=rtpmap:97 MPEG4-GENERIC/48000/2\r\n" +
            "a=fmtp:97 profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3; config=1190\r\n" +
            "a=control:streamid=1\r\n");
        // H.265 with parameter sets (RFC 7798 §7.1 names).
        yield return Encoding.ASCII.GetBytes(
            "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=cam\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H265/90000\r\n" +
            "a=fmtp:96 sprop-vps=QAEMAf//AWAAAAMAkAAAAwAAAwBdlZgJ; sprop-sps=QgEBAWAAAAMAkAAAAwAAAwBdoAKAgC0WWVmkkyvAEAAAAwAQAAADAeCA; sprop-pps=RAHBcrRiQA==\r\n" +
            "a=control:trackID=0\r\n");
    }
}
