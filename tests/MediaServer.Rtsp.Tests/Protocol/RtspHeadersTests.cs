using MediaServer.Rtsp.Protocol;

namespace MediaServer.Rtsp.Tests.Protocol;

public class RtspHeadersTests
{
    [Fact]
    public void Lookup_ignores_case_returns_the_first_and_keeps_order()
    {
        var headers = new RtspHeaders();
        headers.Add("Transport", "a");
        headers.Add("CSeq", "1");
        headers.Add("TRANSPORT", "b");

        Assert.Equal(3, headers.Count);
        Assert.Equal("a", headers.Get("transport"));
        Assert.True(headers.Contains("cseq"));
        Assert.Null(headers.Get("Session"));
        Assert.Equal(("TRANSPORT", "b"), headers[2]);
        Assert.Equal(["Transport", "CSeq", "TRANSPORT"], ((IEnumerable<(string Name, string Value)>)headers).Select(h => h.Name));
    }

    [Fact]
    public void Parsed_names_in_the_usual_spelling_are_shared_strings()
    {
        // So the usual headers of every request do not each allocate a name.
        Assert.Same(RtspHeaderNames.CSeq, RtspHeaderNames.FindKnown("CSeq"u8));
        Assert.Same(RtspHeaderNames.Transport, RtspHeaderNames.FindKnown("Transport"u8));
        Assert.Null(RtspHeaderNames.FindKnown("cseq"u8));
        Assert.Null(RtspHeaderNames.FindKnown("X-Custom"u8));
    }
}
