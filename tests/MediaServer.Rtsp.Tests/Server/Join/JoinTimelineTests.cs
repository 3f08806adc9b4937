using System.Diagnostics;
using MediaServer.Core.Streams;
using MediaServer.Media.Sdp;
using MediaServer.Rtsp.Server;

namespace MediaServer.Rtsp.Tests.Server.Join;

/// <summary>
/// The timeline a joining reader is given, with made-up clocks: a GOP that began 1.8 s before the
/// join, of which 40 frames (25 fps, 3600 ticks apart at 90 kHz, with PCMU audio at 8 kHz beside
/// each) are replayed in one burst at the join, all older than the replay threshold, then live frames.
/// </summary>
public class JoinTimelineTests
{
    private const int Video = 0;
    private const int Audio = 1;
    private static readonly long Second = Stopwatch.Frequency;
    private static readonly long Join = 100 * Second;

    [Fact]
    public void Catchup_squeezes_the_replay_leaves_its_audio_out_and_then_keeps_one_offset_for_every_track()
    {
        var timeline = new JoinTimeline(JoinMode.Catchup, Tracks());
        uint lastVideo = 0;
        for (int i = 0; i < 40; i++)
        {
            Assert.True(timeline.TryMap(Video, VideoTs(i), ArrivalOf(i), Join, out uint ts, out bool settled));
            Assert.False(settled);
            if (i > 0)
            {
                // Sent all at once: 16 times faster than real time (3600 / 16 = 225 ticks apart).
                Assert.Equal(225u, ts - lastVideo);
            }
            else
            {
                Assert.Equal(VideoTs(0), ts);
            }

            lastVideo = ts;
            Assert.False(timeline.TryMap(Audio, AudioTs(i), ArrivalOf(i), Join, out _, out _)); // old sound is left out
        }

        Assert.True(timeline.Replaying);
        Assert.False(timeline.IsSettled);

        // The first live frame, sent as it arrives 0.2 s after the replay began: stamped by that moment.
        long now = ArrivalOf(50);
        Assert.True(timeline.TryMap(Video, VideoTs(50), now, now, out uint live, out bool settledNow));
        Assert.True(settledNow);
        Assert.False(timeline.Replaying);
        Assert.Equal(VideoTs(0) + 18000u, live);
        uint offset = live - VideoTs(50);
        Assert.Equal(offset, timeline.OffsetOf(Video));

        // Audio starts live, shifted by the same time (in its own clock), so A/V sync holds.
        Assert.True(timeline.TryMap(Audio, AudioTs(50), now, now, out uint audio, out _));
        Assert.Equal((uint)(int)Math.Round((int)offset / 90000.0 * 8000), audio - AudioTs(50));

        Assert.True(timeline.TryMap(Video, VideoTs(51), ArrivalOf(51), ArrivalOf(51), out uint next, out _));
        Assert.Equal(live + 3600u, next);
        Assert.InRange(timeline.LagSeconds, -0.001, 0.001); // presented as it arrives: at the live edge
    }

    [Fact]
    public void Gop_keeps_the_publishers_timestamps_and_reports_the_gops_age_as_the_lag()
    {
        var timeline = new JoinTimeline(JoinMode.Gop, Tracks());
        for (int i = 0; i < 40; i++)
        {
            Assert.True(timeline.TryMap(Video, VideoTs(i), ArrivalOf(i), Join, out uint ts, out _));
            Assert.Equal(VideoTs(i), ts);
            Assert.True(timeline.TryMap(Audio, AudioTs(i), ArrivalOf(i), Join, out uint audio, out _));
            Assert.Equal(AudioTs(i), audio);
        }

        Assert.True(timeline.TryMap(Video, VideoTs(45), ArrivalOf(45), Join, out uint live, out bool settled));
        Assert.True(settled);
        Assert.Equal(VideoTs(45), live);
        Assert.Equal(1.8, timeline.LagSeconds, 3); // the keyframe's age at the join
    }

    [Fact]
    public void A_join_without_replay_is_live_at_once()
    {
        var timeline = new JoinTimeline(JoinMode.Catchup, Tracks());
        Assert.True(timeline.TryMap(Video, VideoTs(0), Join, Join, out uint ts, out bool settled));
        Assert.True(settled);
        Assert.Equal(VideoTs(0), ts);
        Assert.Equal(0, timeline.LagSeconds, 3);
        Assert.True(timeline.TryMap(Audio, AudioTs(0), Join, Join, out uint audio, out _));
        Assert.Equal(AudioTs(0), audio);
    }

    [Fact]
    public void Catchup_never_stamps_a_replayed_frame_further_from_the_last_than_the_camera_did()
    {
        var timeline = new JoinTimeline(JoinMode.Catchup, Tracks());
        Assert.True(timeline.TryMap(Video, VideoTs(0), ArrivalOf(0), Join, out uint first, out _));

        // The player stopped reading for a second between two replayed frames: the second is late,
        // but one frame (3600 ticks) after the first, not a second (90000) after it.
        long held = Join + Second;
        Assert.True(timeline.TryMap(Video, VideoTs(1), ArrivalOf(1), held, out uint second, out _));
        Assert.Equal(first + 3600u, second);

        // The rest of the replay, sent at once right after, still goes 16 times faster than real time.
        Assert.True(timeline.TryMap(Video, VideoTs(2), ArrivalOf(2), held, out uint third, out _));
        Assert.Equal(second + 225u, third);
        Assert.True(timeline.Replaying);
    }

    private static uint VideoTs(int frame) => 1_000_000u + ((uint)frame * 3600);

    private static uint AudioTs(int frame) => 50_000u + ((uint)frame * 320);

    private static long ArrivalOf(int frame) => Join - (18 * Second / 10) + (frame * Second / 25);

    private static IReadOnlyList<MediaTrack> Tracks()
    {
        Assert.True(SessionDescription.TryParse(TestMedia.VideoAndAudioSdp, out SessionDescription? sdp, out string? error), error);
        Assert.True(StreamId.TryCreate("cam", out StreamId id));
        return new MediaStream(id, sdp!, new StreamOptions()).Tracks;
    }
}
