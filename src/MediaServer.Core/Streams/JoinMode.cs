namespace MediaServer.Core.Streams;

/// <summary>How an RTSP reader that joins mid-GOP starts (<c>Rtsp:JoinMode</c>, or a path rule's <c>JoinMode</c>).</summary>
public enum JoinMode
{
    /// <summary>
    /// The cached GOP at once, its video timestamps squeezed to the pace it is sent at, so the player
    /// starts decoding at once and is at the live edge when the replay ends; old audio is left out.
    /// </summary>
    Catchup,

    /// <summary>Nothing until the publisher's next keyframe: live, but up to a GOP late to start.</summary>
    Keyframe,

    /// <summary>The cached GOP with its original timestamps: the player stays as far behind live as the GOP was old.</summary>
    Gop,
}
