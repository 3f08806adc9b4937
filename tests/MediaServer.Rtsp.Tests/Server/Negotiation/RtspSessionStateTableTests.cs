using MediaServer.Rtsp.Protocol;
using MediaServer.Rtsp.Server;

namespace MediaServer.Rtsp.Tests.Server.Negotiation;

/// <summary>Which method is allowed in which session state, and what a refusal answers.</summary>
public class RtspSessionStateTableTests
{
    private const RtspStatusCode Ok = RtspStatusCode.Ok;
    private const RtspStatusCode NoSession = RtspStatusCode.SessionNotFound;
    private const RtspStatusCode NotNow = RtspStatusCode.MethodNotValidInThisState;

    [Theory]
    //                          Initial    PrePlay  Play    PreRecord Record
    [InlineData(RtspMethod.Setup, Ok, Ok, NotNow, Ok, NotNow)]
    [InlineData(RtspMethod.Play, NoSession, Ok, Ok, NotNow, NotNow)]
    [InlineData(RtspMethod.Pause, NoSession, Ok, Ok, NotNow, NotNow)]
    [InlineData(RtspMethod.Record, NoSession, NotNow, NotNow, Ok, NotNow)]
    [InlineData(RtspMethod.Teardown, NoSession, Ok, Ok, Ok, Ok)]
    [InlineData(RtspMethod.Options, Ok, Ok, Ok, Ok, Ok)]
    [InlineData(RtspMethod.Describe, Ok, Ok, Ok, Ok, Ok)]
    [InlineData(RtspMethod.Announce, Ok, Ok, Ok, Ok, Ok)]
    [InlineData(RtspMethod.GetParameter, Ok, Ok, Ok, Ok, Ok)]
    [InlineData(RtspMethod.SetParameter, Ok, Ok, Ok, Ok, Ok)]
    [InlineData(RtspMethod.Unknown, Ok, Ok, Ok, Ok, Ok)]
    public void Each_method_is_checked_against_each_state(
        RtspMethod method, RtspStatusCode initial, RtspStatusCode prePlay, RtspStatusCode play, RtspStatusCode preRecord, RtspStatusCode record)
    {
        Assert.Equal(initial, RtspSessionStateTable.Check(method, RtspSessionState.Initial));
        Assert.Equal(prePlay, RtspSessionStateTable.Check(method, RtspSessionState.PrePlay));
        Assert.Equal(play, RtspSessionStateTable.Check(method, RtspSessionState.Play));
        Assert.Equal(preRecord, RtspSessionStateTable.Check(method, RtspSessionState.PreRecord));
        Assert.Equal(record, RtspSessionStateTable.Check(method, RtspSessionState.Record));
    }
}
