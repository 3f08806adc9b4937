using MediaServer.Core.Streams;
using MediaServer.Media.Formats;
using MediaServer.Media.Formats.H264;
using MediaServer.Media.Formats.H265;

namespace MediaServer.Core.Egress;

/// <summary>Chooses an outgoing track's repacketizer by its codec and seeds it with the stream's parameter sets.</summary>
public static class TrackRepacketizers
{
    /// <summary>
    /// The repacketizer for a track sent as <paramref name="codec"/> in payloads of at most
    /// <paramref name="maxPayloadSize"/> bytes, or null when its payloads pass through unchanged.
    /// </summary>
    public static TrackRepacketizer? For(CodecKind codec, MediaTrack source, int maxPayloadSize) => codec switch
    {
        CodecKind.H264 => Seeded(new H264Repacketizer(maxPayloadSize), source),
        CodecKind.H265 => Seeded(new H265Repacketizer(maxPayloadSize), source),
        _ => null,
    };

    /// <summary>Parameter sets from the publisher's SDP, for streams that never send them in band.</summary>
    private static H264Repacketizer Seeded(H264Repacketizer repacketizer, MediaTrack source)
    {
        if (source.ParameterSets.Sps is { } sps && source.ParameterSets.Pps is { } pps)
        {
            repacketizer.SetParameterSets(sps, pps);
        }
        else if (source.Format.Fmtp.TryGetValue("sprop-parameter-sets", out string? sprop) &&
            H264ParameterSets.TryParseSprop(sprop, out byte[]? spropSps, out byte[]? spropPps))
        {
            repacketizer.SetParameterSets(spropSps, spropPps);
        }

        return repacketizer;
    }

    private static H265Repacketizer Seeded(H265Repacketizer repacketizer, MediaTrack source)
    {
        ParameterSetTracker sets = source.ParameterSets;
        if (sets.Vps is { } vps && sets.Sps is { } sps && sets.Pps is { } pps)
        {
            repacketizer.SetParameterSets(vps, sps, pps);
        }
        else if (H265ParameterSets.TryParseSprop(source.Format.Fmtp, out byte[]? spropVps, out byte[]? spropSps, out byte[]? spropPps))
        {
            repacketizer.SetParameterSets(spropVps, spropSps, spropPps);
        }

        return repacketizer;
    }
}
