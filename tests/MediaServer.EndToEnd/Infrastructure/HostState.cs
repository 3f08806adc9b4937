using MediaServer.Core.Streams;
using MediaServer.WebRtc;
using Microsoft.Extensions.DependencyInjection;

namespace MediaServer.EndToEnd.Infrastructure;

/// <summary>What the server holds, read from its services, for tests to check leaks and counts.</summary>
internal static class HostState
{
    public static WebRtcSessionRegistry WebRtcSessions(this MediaServerHost host) =>
        host.Services.GetRequiredService<WebRtcServer>().Sessions;

    public static WebRtcUdpTransport WebRtcTransport(this MediaServerHost host) =>
        host.Services.GetRequiredService<WebRtcServer>().Transport;

    public static MediaStream Stream(this MediaServerHost host, string path)
    {
        Assert.True(StreamId.TryCreate(path, out StreamId id));
        Assert.True(host.Services.GetRequiredService<StreamRegistry>().TryGet(id, out MediaStream stream), $"{path} is not published");
        return stream;
    }
}
