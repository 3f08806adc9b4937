using System.Collections.Concurrent;
using MediaServer.Core.Access;
using MediaServer.Core.Egress;
using MediaServer.Core.Packets;
using MediaServer.Core.Streams;

namespace MediaServer.Core.Tests.Egress;

public class EgressLoopTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Hands_each_packet_of_a_burst_to_the_sink_then_reports_and_flushes_once()
    {
        MediaStream stream = TestRtp.Stream("egress-loop-burst");
        MediaStreamReader reader = stream.Subscribe(TestRtp.Grant(stream.Id, StreamAction.Read));
        var log = new SinkLog();
        var loop = new EgressLoop<RecordingSink>(reader, new RecordingSink(log));
        new GopPublisher(stream).Keyframe(); // SPS, PPS, IDR and one audio packet: four packets before the loop wakes

        loop.Start();

        Assert.Equal(["begin", "send 0", "send 0", "send 0", "send 1", "reports", "flush"], log.TakeUntil("flush"));
        await loop.StopAsync().WaitAsync(Deadline);
        Assert.Equal(["interrupt", "exited"], log.TakeRest());
    }

    [Fact]
    public async Task Ends_with_a_last_burst_when_the_stream_ends_and_says_so()
    {
        MediaStream stream = TestRtp.Stream("egress-loop-end");
        MediaStreamReader reader = stream.Subscribe(TestRtp.Grant(stream.Id, StreamAction.Read));
        var log = new SinkLog();
        var loop = new EgressLoop<RecordingSink>(reader, new RecordingSink(log));
        new GopPublisher(stream).Keyframe();
        loop.Start();
        log.TakeUntil("flush");

        stream.Close();
        await loop.Completion.WaitAsync(Deadline);

        Assert.Equal(["begin", "reports", "flush", "exited", "ended stream"], log.TakeRest());
    }

    [Fact]
    public async Task A_failed_flush_ends_the_loop_as_the_receivers_end()
    {
        MediaStream stream = TestRtp.Stream("egress-loop-gone");
        MediaStreamReader reader = stream.Subscribe(TestRtp.Grant(stream.Id, StreamAction.Read));
        var log = new SinkLog { FlushResult = false };
        var loop = new EgressLoop<RecordingSink>(reader, new RecordingSink(log));
        new GopPublisher(stream).Keyframe();

        loop.Start();
        await loop.Completion.WaitAsync(Deadline);

        Assert.Equal(["begin", "send 0", "send 0", "send 0", "send 1", "reports", "flush", "exited", "ended receiver"], log.TakeRest());
    }

    [Fact]
    public async Task A_sink_that_throws_ends_the_loop_with_the_failure()
    {
        MediaStream stream = TestRtp.Stream("egress-loop-throw");
        MediaStreamReader reader = stream.Subscribe(TestRtp.Grant(stream.Id, StreamAction.Read));
        var log = new SinkLog { ThrowOnSend = true };
        var loop = new EgressLoop<RecordingSink>(reader, new RecordingSink(log));
        new GopPublisher(stream).Keyframe();

        loop.Start();
        await loop.Completion.WaitAsync(Deadline);

        Assert.Equal(["begin", "send 0", "failed sink failed", "exited", "ended receiver"], log.TakeRest());
    }

    [Fact]
    public async Task A_replay_ahead_of_its_pace_is_flushed_then_waited_for_then_resumed()
    {
        MediaStream stream = TestRtp.Stream("egress-loop-pace");
        MediaStreamReader reader = stream.Subscribe(TestRtp.Grant(stream.Id, StreamAction.Read));
        var log = new SinkLog { PaceAfterPackets = 3 };
        var loop = new EgressLoop<RecordingSink>(reader, new RecordingSink(log));
        new GopPublisher(stream).Keyframe();

        loop.Start();

        Assert.Equal(
            ["begin", "clock", "send 0", "clock", "send 0", "clock", "send 0", "clock", "flush", "begin", "clock", "send 1", "clock", "reports", "flush"],
            log.TakeUntil("reports", "flush"));
        await loop.StopAsync().WaitAsync(Deadline);
    }

    private sealed class SinkLog
    {
        private readonly BlockingCollection<string> _events = [];

        public bool FlushResult { get; init; } = true;

        public bool ThrowOnSend { get; init; }

        /// <summary>When set, the sink needs the clock and holds the packet after this many back once.</summary>
        public int PaceAfterPackets { get; init; } = -1;

        public int Sent { get; set; }

        public bool Paced { get; set; }

        public void Add(string entry) => _events.Add(entry);

        public List<string> TakeUntil(params string[] last)
        {
            var taken = new List<string>();
            while (taken.Count < last.Length || !taken[^last.Length..].SequenceEqual(last))
            {
                Assert.True(_events.TryTake(out string? entry, Deadline), $"only {string.Join(", ", taken)}");
                taken.Add(entry);
            }

            return taken;
        }

        public List<string> TakeRest()
        {
            var taken = new List<string>();
            while (_events.TryTake(out string? entry))
            {
                taken.Add(entry);
            }

            return taken;
        }
    }

    private readonly struct RecordingSink(SinkLog log) : IEgressSink
    {
        public bool NeedsClock
        {
            get
            {
                if (log.PaceAfterPackets < 0)
                {
                    return false;
                }

                log.Add("clock");
                return true;
            }
        }

        public long TicksUntilReady(long now)
        {
            if (log.PaceAfterPackets >= 0 && log.Sent == log.PaceAfterPackets && !log.Paced)
            {
                Assert.NotEqual(0, now);
                log.Paced = true;
                return 1;
            }

            return 0;
        }

        public void BeginBurst() => log.Add("begin");

        public void Send(MediaPacket packet, long now)
        {
            log.Sent++;
            log.Add($"send {packet.TrackIndex}");
            if (log.ThrowOnSend)
            {
                throw new InvalidOperationException("sink failed");
            }
        }

        public void SendSenderReportsIfDue() => log.Add("reports");

        public ValueTask<bool> FlushAsync()
        {
            log.Add("flush");
            return ValueTask.FromResult(log.FlushResult);
        }

        public void Interrupt() => log.Add("interrupt");

        public void OnFailed(Exception exception) => log.Add("failed " + exception.Message);

        public void OnExited() => log.Add("exited");

        public void OnEnded(bool streamEnded) => log.Add(streamEnded ? "ended stream" : "ended receiver");
    }
}
