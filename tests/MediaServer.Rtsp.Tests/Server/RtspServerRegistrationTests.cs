using System.Net;
using MediaServer.Core.Access;
using MediaServer.Core.Isolation;
using MediaServer.Core.Limits;
using MediaServer.Core.Packets;
using MediaServer.Core.Streams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MediaServer.Rtsp.Tests.Server;

/// <summary>The RTSP server on a bare Kestrel host, composed from its own registration, without the executable's.</summary>
public class RtspServerRegistrationTests
{
    [Fact]
    public async Task Rtsp_server_alone_on_a_web_host_relays_a_publishers_packets_to_a_reader()
    {
        var guard = new IsolationGuard();
        var pool = new MediaPacketPool(1024, guard);
        var auth = new AuthOptions();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(new StreamRegistry(new StreamOptions(), pool));
        builder.Services.AddSingleton(new StreamAuthorizer([new PathOptions { Name = "~^.+$" }]));
        builder.Services.AddSingleton(new UserDirectory(auth));
        builder.Services.AddSingleton(new AuthFailureLimiter(auth.MaxFailuresPerMinute));
        builder.Services.AddSingleton(new ConnectionLimiter(new ConnectionLimits()));
        builder.Services.AddRtspServer(new RtspOptions { Address = "127.0.0.1", EnableUdp = false });
        ListenOptions? listener = null;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenRtsp(new IPEndPoint(IPAddress.Loopback, 0), listen => listener = listen));

        await using WebApplication app = builder.Build();
        await app.StartAsync();
        int port = listener!.IPEndPoint!.Port;
        Assert.NotEqual(0, port);

        await using (RawRtspClient publisher = await TestMedia.PublishAsync(port, "cam1"))
        {
            await TestMedia.SendKeyframeAsync(publisher, 1, 1000, tag: 9);
            (RawRtspClient reader, _) = await TestMedia.ReadAsync(port, "cam1");
            await using (reader)
            {
                (byte channel, byte[] sps) = await reader.ReadFrameAsync();
                Assert.Equal(0, channel);
                Assert.Equal(0x67, sps[12]);
                Assert.Equal(9, sps[^1]);
            }
        }

        // The packets came from the pool this host was given, and passed its guard.
        Assert.True(pool.Allocated > 0);
        Assert.Equal(0, guard.Violations);
        await app.StopAsync();
    }
}
