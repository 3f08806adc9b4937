using System.Security.Cryptography;
using MediaServer.Core.Attribution;
using MediaServer.Core.Metrics;
using MediaServer.EndToEnd.Infrastructure;
using MediaServer.Testing.Stun;
using MediaServer.Testing.WebRtc;
using MediaServer.WebRtc;
using MediaServer.WebRtc.Stun;

namespace MediaServer.EndToEnd.Attribution;

/// <summary>
/// DESIGN.md invariant 7 on the shared WebRTC port: a browser address belongs to the session whose
/// check claimed it until that session ends. A check that is valid for another session (right
/// ufrag, right password) from an address a live session holds is refused and left unanswered;
/// before, it rebound the address, so the first session's DTLS and RTCP went to the other and its
/// nominated media followed the check.
/// </summary>
[Trait("Category", "EndToEnd")]
public class WebRtcAddressClaimTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_valid_check_for_another_session_from_a_held_address_is_refused_and_both_keep_their_media()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera camera = await Camera.StartAsync(host, "cam1", await Clips.SolidAsync("red"));
        using var http = new HttpClient();
        var whep = new Uri($"http://127.0.0.1:{host.HttpPort}/cam1/whep");
        await using WhepClient first = await WhepClient.ConnectAsync(http, whep, Deadline);
        await using WhepClient second = await WhepClient.ConnectAsync(http, whep, Deadline);
        WebRtcSession firstSession = SessionOf(host, first);
        WebRtcSession secondSession = SessionOf(host, second);
        var conflicts = MetricsRegistry.AttributionConflicts.WithLabels(AttributionMap.WebRtcUdpSource);
        double conflictsBefore = conflicts.Value;
        long rejectedBefore = host.WebRtcTransport().RejectedChecks;
        long answeredBefore = second.StunSuccesses;

        // From the second viewer's address: a check for the first session, then one for its own.
        // The server handles them in order on one thread, so an answer to the first would arrive first.
        second.SendDatagram(Check(firstSession, nominate: true));
        second.SendDatagram(Check(secondSession, nominate: false));
        Assert.True(await Eventually.TrueAsync(() => second.StunSuccesses > answeredBefore, Deadline), "the own check was not answered");
        Assert.Equal(answeredBefore + 1, second.StunSuccesses);

        Assert.Equal(first.LocalEndPoint.Port, firstSession.RemoteEndPoint!.Port);
        Assert.Single(firstSession.Addresses);
        Assert.Equal(rejectedBefore + 1, host.WebRtcTransport().RejectedChecks);
        Assert.True(conflicts.Value >= conflictsBefore + 1);

        long firstPackets = first.RtpPackets;
        long secondPackets = second.RtpPackets;
        Assert.True(await Eventually.TrueAsync(() => first.RtpPackets > firstPackets + 20 && second.RtpPackets > secondPackets + 20, Deadline),
            "a viewer stopped receiving its media");
        Assert.Equal(0, first.AuthenticationFailures);
        Assert.Equal(0, second.AuthenticationFailures);
        Assert.Equal(WebRtcSessionState.Connected, firstSession.State);
    }

    private static WebRtcSession SessionOf(MediaServerHost host, WhepClient client) =>
        host.WebRtcSessions().All.Single(s => s.RemoteEndPoint?.Port == client.LocalEndPoint.Port);

    /// <summary>A Binding request signed with <paramref name="session"/>'s own credentials.</summary>
    private static byte[] Check(WebRtcSession session, bool nominate)
    {
        var buffer = new byte[256];
        int length = StunRequestWriter.WriteBindingRequest(buffer, RandomNumberGenerator.GetBytes(12), session.Credentials.ExpectedUsername,
            session.Credentials.LocalPwdBytes, 0x6E0001FF, 1, controlling: true, useCandidate: nominate);
        return buffer[..length];
    }
}
