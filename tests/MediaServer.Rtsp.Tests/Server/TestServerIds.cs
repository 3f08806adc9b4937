using MediaServer.Core.Streams;
using Microsoft.Extensions.DependencyInjection;

namespace MediaServer.Rtsp.Tests.Server;

internal static class TestServerIds
{
    public static StreamId Id(string path)
    {
        Assert.True(StreamId.TryCreate(path, out StreamId id));
        return id;
    }

    public static T GetRequiredServiceForTests<T>(this IServiceProvider services)
        where T : notnull => services.GetRequiredService<T>();
}
