using System.Text.RegularExpressions;
using MediaServer.EndToEnd.Infrastructure;

namespace MediaServer.EndToEnd;

/// <summary>
/// GStreamer's webrtcbin (a strict SDP parser with all four bundle policies) as a WHEP viewer of
/// video-only, video+Opus and video+AAC cameras, offering video and audio every time.
/// </summary>
[Trait("Category", "EndToEnd")]
public partial class WebRtcBinPlaybackTests(WebRtcBinFixture fixture) : IClassFixture<WebRtcBinFixture>
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(15);

    public static TheoryData<string, string> PoliciesAndCameras()
    {
        var data = new TheoryData<string, string>();
        foreach (string policy in new[] { "none", "balanced", "max-compat", "max-bundle" })
        {
            foreach (string camera in new[] { WebRtcBinFixture.VideoOnly, WebRtcBinFixture.VideoOpus, WebRtcBinFixture.VideoAac })
            {
                data.Add(policy, camera);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PoliciesAndCameras))]
    public async Task Webrtcbin_accepts_the_answer_and_decodes_every_playable_track(string policy, string camera)
    {
        bool opus = camera == WebRtcBinFixture.VideoOpus;
        WebRtcBinResult result = await WebRtcBinViewer.PlayAsync(
            fixture.Host, camera, policy, offerAudio: true, videoFrames: 10, audioBuffers: opus ? 10 : 0, Duration);

        Assert.True(result.ExitCode == 0 && result.AnswerAccepted, result.ToString());
        Assert.True(result.VideoFrames >= 10, result.ToString());
        if (opus)
        {
            Assert.True(result.AudioBuffers >= 10, result.ToString());
        }

        // RFC 8843: BUNDLE in the answer exactly when the offer asked for it.
        Assert.Equal(result.Offer!.Contains("a=group:BUNDLE", StringComparison.Ordinal),
            result.Answer!.Contains("a=group:BUNDLE", StringComparison.Ordinal));
        Assert.Equal(0, fixture.Host.IsolationViolations);
    }

    [Fact]
    public async Task Unbundled_offer_gets_one_transport_per_track_each_with_its_own_credentials()
    {
        WebRtcBinResult result = await WebRtcBinViewer.PlayAsync(
            fixture.Host, WebRtcBinFixture.VideoOpus, "none", offerAudio: true, videoFrames: 10, audioBuffers: 10, Duration);

        Assert.True(result.ExitCode == 0 && result.AudioBuffers >= 10 && result.VideoFrames >= 10, result.ToString());
        Assert.DoesNotContain("a=group:BUNDLE", result.Answer, StringComparison.Ordinal);
        string[] ufrags = IceUfrag().Matches(result.Answer!).Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(2, ufrags.Length);
        Assert.NotEqual(ufrags[0], ufrags[1]);
    }

    [Fact]
    public async Task Video_only_offer_plays_a_camera_with_audio()
    {
        WebRtcBinResult result = await WebRtcBinViewer.PlayAsync(
            fixture.Host, WebRtcBinFixture.VideoOpus, "max-bundle", offerAudio: false, videoFrames: 10, audioBuffers: 0, Duration);

        Assert.True(result.ExitCode == 0 && result.AnswerAccepted && result.VideoFrames >= 10, result.ToString());
    }

    [GeneratedRegex(@"^a=ice-ufrag:(\S+)", RegexOptions.Multiline)]
    private static partial Regex IceUfrag();
}
