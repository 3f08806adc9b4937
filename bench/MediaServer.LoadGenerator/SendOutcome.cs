namespace MediaServer.LoadGenerator;

/// <summary>What became of one frame sent to one playing session.</summary>
internal enum SendOutcome
{
    Sent,

    /// <summary>The session ended, or its client went away (closed or reset its connection or port): not a failure.</summary>
    Ended,

    /// <summary>The client stopped taking data while playing: the send timed out.</summary>
    Failed,
}
