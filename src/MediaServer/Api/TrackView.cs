using MediaServer.Core.Streams;

namespace MediaServer.Api;

/// <summary>
/// One track of a path: its media type and codec as the publisher announced it, and whether its
/// video has been seen to carry B-frames (which browsers' WebRTC decoders handle badly).
/// </summary>
internal sealed record TrackView(int Index, string Media, string Codec, int ClockRate, int? Channels, bool BFrames)
{
    public static TrackView From(MediaTrack track) => new(
        track.Index,
        track.Description.Media,
        track.Format.EncodingName,
        track.Format.ClockRate,
        track.Format.IsAudio ? track.Format.Channels : null,
        track.HasBFrames);
}
