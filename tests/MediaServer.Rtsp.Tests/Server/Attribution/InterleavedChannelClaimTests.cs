using MediaServer.Core.Access;
using MediaServer.Core.Attribution;
using MediaServer.Core.Metrics;
using MediaServer.Core.Streams;
using MediaServer.Media.Sdp;
using Microsoft.Extensions.DependencyInjection;

namespace MediaServer.Rtsp.Tests.Server.Attribution;

/// <summary>
/// An interleaved channel of a connection carries one track: a second SETUP naming a channel in
/// use, even by another track of the same session, would route one track's packets into another.
/// </summary>
public class InterleavedChannelClaimTests
{
    [Fact]
    public async Task A_second_track_cannot_take_the_channels_of_the_first()
    {
        await using MediaServerHost host = await TestServer.StartAsync();
        await using RawRtspClient camera = await RawRtspClient.ConnectAsync(host.RtspPort);
        Assert.Equal(200, (await camera.RequestAsync("ANNOUNCE", host.Url("cam1"), body: TestMedia.VideoAndAudioSdp)).Status);
        Assert.Equal(200, (await camera.RequestAsync("SETUP", host.Url("cam1") + "/streamid=0",
            "Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record")).Status);
        var conflicts = MetricsRegistry.AttributionConflicts.WithLabels(AttributionMap.RtspInterleavedChannel);
        double before = conflicts.Value;

        Assert.Equal(461, (await camera.RequestAsync("SETUP", host.Url("cam1") + "/streamid=1",
            "Transport: RTP/AVP/TCP;unicast;interleaved=1-2;mode=record")).Status);
        Assert.True(conflicts.Value > before);
        Assert.Equal(200, (await camera.RequestAsync("SETUP", host.Url("cam1") + "/streamid=1",
            "Transport: RTP/AVP/TCP;unicast;interleaved=2-3;mode=record")).Status);
    }

    [Fact]
    public async Task A_track_past_channel_255_without_named_channels_gets_a_free_pair_and_the_connection_lives_on()
    {
        await using MediaServerHost host = await TestServer.StartAsync();
        PublishWithTracks(host, "many", 129); // more than an ANNOUNCE may carry: only the registry makes one
        await using RawRtspClient reader = await RawRtspClient.ConnectAsync(host.RtspPort);

        // Its default pair would be 256-257, past the one byte a frame's channel has.
        RtspReply setup = await reader.RequestAsync("SETUP", host.Url("many") + "/trackID=128", "Transport: RTP/AVP/TCP;unicast");
        Assert.Equal(200, setup.Status);
        Assert.Contains("interleaved=0-1", setup["Transport"]!);

        // Track 0's own pair is the one just given away: refused like any channel clash, on a connection still serving.
        Assert.Equal(461, (await reader.RequestAsync("SETUP", host.Url("many") + "/trackID=0", "Transport: RTP/AVP/TCP;unicast")).Status);
        Assert.Equal(200, (await reader.RequestAsync("SETUP", host.Url("many") + "/trackID=1", "Transport: RTP/AVP/TCP;unicast")).Status);
    }

    private static void PublishWithTracks(MediaServerHost host, string path, int tracks)
    {
        Assert.True(SessionDescription.TryParse(TestMedia.VideoAndAudioSdp, out SessionDescription? description, out string? error), error);
        MediaDescription audio = description!.Media[1];
        while (description.Media.Count < tracks)
        {
            description.Media.Add(audio);
        }

        Assert.True(StreamId.TryCreate(path, out StreamId id));
        var authorizer = new StreamAuthorizer([new PathOptions { Name = "~^.+$" }]);
        Assert.Equal(AccessDecision.Allowed, authorizer.Authorize(id, StreamAction.Publish, Principal.Everyone, out StreamGrant grant));
        Assert.Equal(PublishOutcome.Published, host.Services.GetRequiredService<StreamRegistry>().TryPublish(grant, description, out _));
    }
}
