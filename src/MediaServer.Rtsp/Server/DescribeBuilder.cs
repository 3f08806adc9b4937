using MediaServer.Core.Streams;
using MediaServer.Media.Formats;
using MediaServer.Media.Formats.H264;
using MediaServer.Media.Sdp;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// The SDP a reader gets from DESCRIBE: the publisher's media descriptions with our own control
/// URLs, no publisher addresses, and parameter sets learned in band added where the publisher's
/// SDP had none (many cameras only send them in band).
/// </summary>
internal static class DescribeBuilder
{
    private static readonly string[] DirectionAttributes = ["sendonly", "recvonly", "sendrecv", "inactive"];

    public static string Build(MediaStream stream, string serverAddress)
    {
        if (!SessionDescription.TryParse(stream.Description.ToString(), out SessionDescription? copy, out _) || copy is null)
        {
            throw new InvalidOperationException("A stored session description no longer parses.");
        }

        var description = new SessionDescription
        {
            Origin = $"- {stream.Generation} 1 IN IP4 {serverAddress}",
            SessionName = "MediaServer",
            Connection = "IN IP4 0.0.0.0",
        };
        description.Attributes.Add(new SdpAttribute("tool", "MediaServer"));
        description.Attributes.Add(new SdpAttribute("control", "*"));
        description.Attributes.Add(new SdpAttribute("range", "npt=0-"));

        for (int i = 0; i < copy.Media.Count; i++)
        {
            MediaDescription media = copy.Media[i];
            MediaTrack track = stream.Tracks[i];
            media.Port = 0;
            media.Connection = null;
            foreach (string direction in DirectionAttributes)
            {
                media.RemoveAttributes(direction);
            }

            media.Control = track.Control;
            AddInBandParameterSets(media, track);
            description.Media.Add(media);
        }

        return description.ToString();
    }

    private static void AddInBandParameterSets(MediaDescription media, MediaTrack track)
    {
        ParameterSetTracker sets = track.ParameterSets;
        int payloadType = track.Format.PayloadType;
        IReadOnlyDictionary<string, string> fmtp = FmtpParameters.Parse(media.GetFmtp(payloadType));
        string? addition = track.Format.Codec switch
        {
            CodecKind.H264 when !fmtp.ContainsKey("sprop-parameter-sets") && sets.Sps is not null && sets.Pps is not null =>
                "sprop-parameter-sets=" + H264ParameterSets.FormatSprop(sets.Sps, sets.Pps),
            _ => null,
        };
        if (addition is null)
        {
            return;
        }

        string? existing = media.GetFmtp(payloadType);
        string parameters = string.IsNullOrWhiteSpace(existing) ? addition : existing.TrimEnd(';', ' ') + ";" + addition;
        media.RemoveAttributes("fmtp");
        media.Attributes.Add(new SdpAttribute("fmtp", $"{payloadType} {parameters}"));
    }
}
