using System.Text;
using MediaServer.Rtsp.Protocol;

namespace MediaServer.Rtsp.Tests.Protocol;

public class RtspMethodsTests
{
    public static TheoryData<RtspMethod> KnownMethods()
    {
        var data = new TheoryData<RtspMethod>();
        foreach (RtspMethod method in Enum.GetValues<RtspMethod>())
        {
            if (method != RtspMethod.Unknown)
            {
                data.Add(method);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(KnownMethods))]
    public void Every_method_round_trips_through_its_token(RtspMethod method)
    {
        string name = RtspMethods.ToName(method);
        Assert.Equal(method, RtspMethods.Parse(Encoding.ASCII.GetBytes(name)));
        Assert.Equal(method, RtspMethods.Parse(name));
    }

    [Theory]
    [InlineData("OPTIONS", RtspMethod.Options)]
    [InlineData("DESCRIBE", RtspMethod.Describe)]
    [InlineData("ANNOUNCE", RtspMethod.Announce)]
    [InlineData("SETUP", RtspMethod.Setup)]
    [InlineData("PLAY", RtspMethod.Play)]
    [InlineData("PAUSE", RtspMethod.Pause)]
    [InlineData("RECORD", RtspMethod.Record)]
    [InlineData("TEARDOWN", RtspMethod.Teardown)]
    [InlineData("GET_PARAMETER", RtspMethod.GetParameter)]
    [InlineData("SET_PARAMETER", RtspMethod.SetParameter)]
    [InlineData("REDIRECT", RtspMethod.Redirect)]
    public void Tokens_are_those_of_RFC_2326(string token, RtspMethod method)
    {
        Assert.Equal(method, RtspMethods.Parse(Encoding.ASCII.GetBytes(token)));
        Assert.Equal(token, RtspMethods.ToName(method));
    }

    [Theory]
    [InlineData("")]
    [InlineData("play")]
    [InlineData("Play")]
    [InlineData("PLAYS")]
    [InlineData("PLA")]
    [InlineData("GET_PARAMETERS")]
    [InlineData("GET")]
    [InlineData("TEARDOWN ")]
    [InlineData("ÄNNOUNCE")]
    public void Anything_else_is_unknown(string token)
    {
        Assert.Equal(RtspMethod.Unknown, RtspMethods.Parse(Encoding.UTF8.GetBytes(token)));
        Assert.Equal(RtspMethod.Unknown, RtspMethods.Parse(token));
    }

    [Fact]
    public void Unknown_has_no_token()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RtspMethods.ToName(RtspMethod.Unknown));
        Assert.Throws<ArgumentOutOfRangeException>(() => RtspMethods.ToName((RtspMethod)99));
    }
}
