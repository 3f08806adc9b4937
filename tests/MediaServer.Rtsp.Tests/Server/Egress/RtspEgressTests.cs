using System.Collections.Concurrent;
using MediaServer.Core.Access;
using MediaServer.Core.Metrics;
using MediaServer.Core.Streams;
using MediaServer.Media.Sdp;
using MediaServer.Rtsp.Server;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaServer.Rtsp.Tests.Server.Egress;

/// <summary>
/// One RTSP egress over a transport it is specialized for: what reaches the transport, and what
/// the transport is told when the egress stops.
/// </summary>
public class RtspEgressTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Packets_of_a_burst_reach_the_transport_only_for_the_tracks_set_up_then_the_burst_is_flushed()
    {
        var log = new TransportLog();
        (RtspEgress egress, MediaStream stream) = Create("rtsp-egress-send", log, setUpTracks: [0]);

        // Both queued before the loop runs, so one burst: the audio track has no session track, so only the video packet leaves.
        Assert.Equal(PublishResult.Published, stream.PublishRtp(1, TestMedia.Rtp(1, 9000, 0x00, tag: 2)));
        Assert.Equal(PublishResult.Published, stream.PublishRtp(0, TestMedia.Rtp(1, 9000, 0x65, tag: 1)));
        egress.Start();

        // A sender report may come before the flush, as soon as the join has settled (timing-dependent).
        List<string> burst = await log.TakeUntilAsync("flush");
        Assert.Equal(["rtp 0 tag 1", "flush"], burst.Where(call => call != "rtcp 0"));
        await egress.StopAsync().AsTask().WaitAsync(Deadline);
        Assert.Equal(1, egress.Meter.PacketsSent);
    }

    [Fact]
    public async Task Stopping_interrupts_the_transport_and_tells_it_the_loop_exited_so_a_burst_cut_short_can_leave()
    {
        var log = new TransportLog();
        (RtspEgress egress, _) = Create("rtsp-egress-stop", log, setUpTracks: [0]);
        egress.Start();

        await egress.StopAsync().AsTask().WaitAsync(Deadline);

        // Interrupt comes from the stopping thread, OnExited from the loop: either may be first.
        string[] calls = log.TakeRest();
        Assert.Equal(["exited", "interrupt"], calls.Order());
    }

    private static (RtspEgress Egress, MediaStream Stream) Create(string path, TransportLog log, int[] setUpTracks)
    {
        Assert.True(StreamId.TryCreate(path, out StreamId id));
        Assert.True(SessionDescription.TryParse(TestMedia.VideoAndAudioSdp, out SessionDescription? description, out string? error), error);
        var stream = new MediaStream(id, description!, new StreamOptions());
        var authorizer = new StreamAuthorizer([new PathOptions { Name = "~^.+$" }]);
        Assert.Equal(AccessDecision.Allowed, authorizer.Authorize(id, StreamAction.Read, Principal.Everyone, out StreamGrant grant));
        var session = new RtspSession(path, connection: null!) { Tracks = new SessionTrack?[stream.Tracks.Count] };
        foreach (int track in setUpTracks)
        {
            session.Tracks[track] = new SessionTrack(track);
        }

        RtspEgress egress = RtspEgress.Create(session, stream.Subscribe(grant), new RecordingTransport(log), new RtspOptions(), NullLogger.Instance, JoinMode.Gop);
        return (egress, stream);
    }

    private sealed class TransportLog
    {
        private readonly BlockingCollection<string> _calls = [];

        public void Add(string call) => _calls.Add(call);

        public async Task<List<string>> TakeUntilAsync(string last)
        {
            var taken = new List<string>();
            using var timeout = new CancellationTokenSource(Deadline);
            await Task.Run(() =>
            {
                string call;
                do
                {
                    call = _calls.Take(timeout.Token);
                    taken.Add(call);
                }
                while (call != last);
            });
            return taken;
        }

        public string[] TakeRest()
        {
            var rest = new List<string>();
            while (_calls.TryTake(out string? call))
            {
                rest.Add(call);
            }

            return [.. rest];
        }
    }

    private readonly struct RecordingTransport(TransportLog log) : IRtspTransportSink
    {
        public static EgressTransport Label => EgressTransport.RtspTcp;

        public static bool PacesReplay => false;

        public void SendRtp(SessionTrack track, ReadOnlySpan<byte> rtp, uint timestamp) => log.Add($"rtp {track.TrackIndex} tag {rtp[^1]}");

        public void SendRtcp(SessionTrack track, ReadOnlySpan<byte> compound) => log.Add($"rtcp {track.TrackIndex}");

        public ValueTask<bool> FlushAsync()
        {
            log.Add("flush");
            return ValueTask.FromResult(true);
        }

        public void Interrupt() => log.Add("interrupt");

        public void OnExited() => log.Add("exited");

        public void Disconnect(string reason) => log.Add("disconnect");

        public void OnEnded(bool streamEnded) => log.Add(streamEnded ? "ended stream" : "ended client");
    }
}
