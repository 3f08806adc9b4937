using MediaServer.Rtsp.Protocol;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// Which method a session accepts in which state. A method that needs a session and has none is
/// answered 454 Session Not Found; one the state does not allow, 455 Method Not Valid in This
/// State. Methods about the server or a path (OPTIONS, DESCRIBE, ANNOUNCE, the parameters) do
/// not depend on a session and are allowed everywhere.
/// </summary>
internal static class RtspSessionStateTable
{
    /// <summary><see cref="RtspStatusCode.Ok"/> when <paramref name="method"/> may run in <paramref name="state"/>, else the refusal.</summary>
    public static RtspStatusCode Check(RtspMethod method, RtspSessionState state) => method switch
    {
        RtspMethod.Setup => state is RtspSessionState.Play or RtspSessionState.Record
            ? RtspStatusCode.MethodNotValidInThisState
            : RtspStatusCode.Ok,
        RtspMethod.Play => state switch
        {
            RtspSessionState.Initial => RtspStatusCode.SessionNotFound,
            RtspSessionState.PrePlay or RtspSessionState.Play => RtspStatusCode.Ok,
            _ => RtspStatusCode.MethodNotValidInThisState,
        },
        RtspMethod.Pause => state switch
        {
            RtspSessionState.Initial => RtspStatusCode.SessionNotFound,
            RtspSessionState.PrePlay or RtspSessionState.Play => RtspStatusCode.Ok,
            _ => RtspStatusCode.MethodNotValidInThisState,
        },
        RtspMethod.Record => state switch
        {
            RtspSessionState.Initial => RtspStatusCode.SessionNotFound,
            RtspSessionState.PreRecord => RtspStatusCode.Ok,
            _ => RtspStatusCode.MethodNotValidInThisState,
        },
        RtspMethod.Teardown => state == RtspSessionState.Initial ? RtspStatusCode.SessionNotFound : RtspStatusCode.Ok,
        _ => RtspStatusCode.Ok,
    };
}
