namespace MediaServer.Rtsp.Protocol;

/// <summary>
/// The request methods of RFC 2326 §10. <see cref="Unknown"/> is what the parser reports for a
/// well-formed token it does not know; the session layer answers it with 501 Not Implemented.
/// </summary>
public enum RtspMethod
{
    Unknown,
    Options,
    Describe,
    Announce,
    Setup,
    Play,
    Pause,
    Record,
    Teardown,
    GetParameter,
    SetParameter,
    Redirect,
}
