using System.Diagnostics;
using MediaServer.Core.Streams;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// The RTP timeline one RTSP reader is given from its join on. A joining reader first gets the
/// stream's cached GOP (the replay: packets older than <see cref="LiveAge"/>), then live packets.
/// In <see cref="JoinMode.Catchup"/> the replayed video frames get timestamps that follow the pace
/// they are sent at, so a player that presents by timestamp shows them as they arrive and is at
/// the live edge when the replay ends; from the first live video frame on every track keeps one
/// constant offset, the same in seconds for all, so sender reports shifted by it keep A/V sync.
/// Replayed audio is left out in that mode (it would only replay sound already heard, squeezed);
/// audio starts with the first live video frame. Other modes keep the publisher's timestamps.
/// Egress loop only; no allocation per packet.
/// </summary>
internal sealed class JoinTimeline
{
    /// <summary>A packet that waited longer than this at the server belongs to the replay (as in WebRTC egress).</summary>
    public static readonly long LiveAge = Stopwatch.Frequency / 7;

    /// <summary>
    /// How much faster than real time replayed frames may be presented: a GOP 1.6 s old costs a
    /// player 0.1 s to catch up, time it needs anyway to decode it. Frames stamped closer than
    /// that (or than 1 ms) come faster than ffmpeg decodes them, and it falls further behind.
    /// </summary>
    public const uint CatchUpSpeed = 16;

    private readonly JoinMode _mode;
    private readonly int _videoTrack;
    private readonly int _videoClockRate;
    private readonly IReadOnlyList<MediaTrack> _tracks;
    private readonly uint[] _offsets;
    private readonly uint _minSpacing;
    private bool _replaying = true;
    private bool _fixed;
    private bool _videoStarted;
    private uint _firstTimestamp;
    private long _firstSentAt;
    private uint _lastSourceTimestamp;
    private uint _lastTimestamp;
    private double _lagSeconds = double.NaN;

    public JoinTimeline(JoinMode mode, IReadOnlyList<MediaTrack> tracks)
    {
        _mode = mode;
        _tracks = tracks;
        _offsets = new uint[tracks.Count];
        _videoTrack = -1;
        for (int i = 0; i < tracks.Count; i++)
        {
            if (tracks[i].HasKeyframes)
            {
                _videoTrack = i;
                _videoClockRate = tracks[i].Format.ClockRate;
                break;
            }
        }

        _minSpacing = (uint)Math.Max(1, _videoClockRate / 1000);

        // Without video there is no cache to replay and nothing to line up.
        _fixed = _videoTrack < 0;
    }

    public JoinMode Mode => _mode;

    /// <summary>True until the first packet that was not part of the replay.</summary>
    public bool Replaying => _replaying;

    /// <summary>Packets of the replay sent (including those left out).</summary>
    public long ReplayedPackets { get; private set; }

    /// <summary>Stopwatch ticks from the first packet to the end of the replay.</summary>
    public long ReplayTicks { get; private set; }

    /// <summary>True once every track's offset is final (in catch-up, from the first live video frame).</summary>
    public bool IsSettled => _fixed;

    /// <summary>
    /// Lag to live at join, in seconds, once known: how far the timeline given to the player trails
    /// the live edge when the replay ended. A player that presents the first frame as it arrives
    /// and the rest by timestamp shows the first live video frame this long after it reached the
    /// server. NaN until the first live video frame was sent (or for a stream without video).
    /// </summary>
    public double LagSeconds => _lagSeconds;

    /// <summary>What is added (mod 2^32) to the publisher's timestamps of a track.</summary>
    public uint OffsetOf(int trackIndex) => (uint)trackIndex < (uint)_offsets.Length ? _offsets[trackIndex] : 0;

    /// <summary>
    /// The timestamp to send a packet with; false when it is left out (replayed audio in catch-up).
    /// <paramref name="settledNow"/> is true for the packet that fixed the offsets. Times are
    /// <see cref="Stopwatch"/> ticks: when the packet reached the server, and now (read only while
    /// <see cref="Replaying"/> or not <see cref="IsSettled"/>; any value will do after).
    /// </summary>
    public bool TryMap(int track, uint sourceTimestamp, long arrival, long now, out uint timestamp, out bool settledNow)
    {
        settledNow = false;
        bool replayed = _replaying && now - arrival > LiveAge;
        if (replayed)
        {
            ReplayedPackets++;
        }
        else if (_replaying)
        {
            _replaying = false;
            ReplayTicks = _videoStarted ? now - _firstSentAt : 0;
        }

        if (track != _videoTrack)
        {
            timestamp = sourceTimestamp + OffsetOf(track);
            return _fixed || _mode != JoinMode.Catchup;
        }

        bool newAccessUnit = !_videoStarted || sourceTimestamp != _lastSourceTimestamp;
        if (newAccessUnit)
        {
            if (!_videoStarted)
            {
                _videoStarted = true;
                _firstTimestamp = sourceTimestamp;
                _firstSentAt = now;
            }
            else if (_mode == JoinMode.Catchup && !_fixed)
            {
                // The frame is stamped with the moment it leaves, on the timeline the first one began,
                // but no closer to the previous one than its original spacing sped up CatchUpSpeed
                // times: the player must still decode every frame of the replay before it shows live.
                uint paced = _firstTimestamp + (uint)((now - _firstSentAt) * (double)_videoClockRate / Stopwatch.Frequency);
                uint original = sourceTimestamp - _lastSourceTimestamp;
                uint spacing = Math.Max(_minSpacing, original / CatchUpSpeed);
                if ((int)(paced - (_lastTimestamp + spacing)) < 0)
                {
                    paced = _lastTimestamp + spacing;
                }
                else if ((int)original > 0 && (int)(paced - (_lastTimestamp + original)) > 0)
                {
                    // Nor further from it than the camera made it: a replay held up (a player that
                    // stopped reading) shows as frames that come late, not as a jump in the timeline,
                    // which players read as a cut and which only a keyframe may begin. The pace then
                    // counts from this frame, so the rest of the replay still catches up.
                    int held = (int)(paced - (_lastTimestamp + original));
                    _firstSentAt += (long)(held * (double)Stopwatch.Frequency / _videoClockRate);
                    paced = _lastTimestamp + original;
                }

                _offsets[track] = paced - sourceTimestamp;
            }

            if (!replayed && !_fixed)
            {
                Settle(sourceTimestamp, arrival);
                settledNow = true;
            }
        }

        _lastSourceTimestamp = sourceTimestamp;
        timestamp = sourceTimestamp + _offsets[track];
        _lastTimestamp = timestamp;
        return true;
    }

    private void Settle(uint sourceTimestamp, long arrival)
    {
        _fixed = true;
        uint videoOffset = _offsets[_videoTrack];
        double offsetSeconds = (int)videoOffset / (double)_videoClockRate;
        for (int i = 0; i < _offsets.Length; i++)
        {
            if (i != _videoTrack)
            {
                _offsets[i] = (uint)(int)Math.Round(offsetSeconds * _tracks[i].Format.ClockRate);
            }
        }

        uint sent = sourceTimestamp + videoOffset;
        double presentedAt = _firstSentAt + (int)(sent - _firstTimestamp) * (double)Stopwatch.Frequency / _videoClockRate;
        _lagSeconds = (presentedAt - arrival) / Stopwatch.Frequency;
    }
}
