namespace MediaServer.WebRtc.Egress;

/// <summary>What a viewer's PLI or FIR led to (the <c>reason</c> label of <c>mediaserver_webrtc_keyframe_requests_total</c>).</summary>
internal enum KeyframeRequestOutcome
{
    /// <summary>The cached GOP was replayed to the viewer, from its keyframe.</summary>
    Replayed,

    /// <summary>A replay asked for earlier has not reached the viewer yet: it answers this request too.</summary>
    ReplayInFlight,

    /// <summary>The viewer was already replayed the current keyframe: it waits for the next live one.</summary>
    KeyframeAlreadySent,
}
