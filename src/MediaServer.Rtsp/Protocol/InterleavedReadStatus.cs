namespace MediaServer.Rtsp.Protocol;

/// <summary>The outcome of <see cref="InterleavedFrame.TryRead(ref System.Buffers.ReadOnlySequence{byte}, out byte, out System.Buffers.ReadOnlySequence{byte})"/>.</summary>
public enum InterleavedReadStatus
{
    /// <summary>The buffer starts with '$' (or is empty) but the frame is not all there yet; nothing was consumed.</summary>
    Incomplete,

    /// <summary>A frame was read and consumed.</summary>
    Complete,

    /// <summary>The buffer does not start with '$': it holds an RTSP message, not a frame.</summary>
    NotAFrame,

    /// <summary>The frame announces a payload longer than the caller's limit; the connection should be closed.</summary>
    FrameTooLarge,
}
