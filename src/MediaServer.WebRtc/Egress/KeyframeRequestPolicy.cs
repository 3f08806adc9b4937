namespace MediaServer.WebRtc.Egress;

/// <summary>
/// Decides whether a viewer's picture-loss request (PLI/FIR) replays the cached GOP. A browser
/// that cannot decode a stream (B-frames in Chromium) asks again and again; replaying the GOP for
/// each ask would multiply that viewer's traffic without helping it. So a viewer gets at most one
/// replay per keyframe: while a replay is on its way, or once it has been replayed the keyframe
/// that is still the current one, further requests wait for the camera's next live keyframe.
/// The first request always replays (joining is not a replay). Egress loop only.
/// </summary>
internal sealed class KeyframeRequestPolicy
{
    private bool _replayInFlight;
    private bool _replayed;
    private uint _replayedKeyframe;
    private uint _lastKeyframe;

    public KeyframeRequestOutcome Decide()
    {
        if (_replayInFlight)
        {
            return KeyframeRequestOutcome.ReplayInFlight;
        }

        if (_replayed && _lastKeyframe == _replayedKeyframe)
        {
            return KeyframeRequestOutcome.KeyframeAlreadySent;
        }

        _replayInFlight = true;
        return KeyframeRequestOutcome.Replayed;
    }

    /// <summary>
    /// A keyframe (its source RTP timestamp) went to the viewer, replayed or live. Any keyframe
    /// ends a replay in flight: one that arrived live first answers the request as well.
    /// </summary>
    public void OnKeyframeSent(uint sourceTimestamp)
    {
        if (_replayInFlight)
        {
            _replayInFlight = false;
            _replayed = true;
            _replayedKeyframe = sourceTimestamp;
        }

        _lastKeyframe = sourceTimestamp;
    }
}
