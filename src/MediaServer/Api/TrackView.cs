using MediaServer.Core.Streams;

namespace MediaServer.Api;

/// <summary>One track of a path: its media type and codec as the publisher announced it.</summary>
internal sealed record TrackView(int Index, string Media, string Codec, int ClockRate, int? Channels)
{
    public static TrackView From(MediaTrack track) => new(
        track.Index,
        track.Description.Media,
        track.Format.EncodingName,
        track.Format.ClockRate,
        track.Format.IsAudio ? track.Format.Channels : null);
}
