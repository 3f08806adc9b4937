using MediaServer.Core.Access;
using MediaServer.Core.Packets;
using MediaServer.Core.Streams;

namespace MediaServer.Core.Tests.Isolation;

/// <summary>
/// The conditions under which camera clouds leaked other households' stills: many streams at once,
/// packet loss, slow readers, readers that reconnect, and a small shared pool that recycles every
/// buffer constantly. Every packet each reader gets must be its own stream's.
/// </summary>
public class IsolationStressTests
{
    private const int Streams = 4;
    private const int Gops = 60;
    private const int FramesPerGop = 25;

    [Fact]
    public async Task Readers_only_ever_get_their_own_streams_packets()
    {
        var pool = new MediaPacketPool(16);
        var options = new StreamOptions { ReaderQueuePackets = 32 };
        var streams = Enumerable.Range(0, Streams)
            .Select(i => new MediaStream(TestRtp.Id($"home{i}/cam"), TestRtp.Sdp(), options, pool))
            .ToArray();

        using var done = new CancellationTokenSource();
        var readers = new List<Task<ReaderReport>>();
        var fastReports = new ReaderReport[Streams];
        for (int i = 0; i < Streams; i++)
        {
            MediaStream stream = streams[i];
            byte tag = (byte)(i + 1);
            foreach (ReaderKind kind in Enum.GetValues<ReaderKind>())
            {
                // Subscribed before anything is published, so every reader sees the whole run.
                var report = new ReaderReport(kind);
                if (kind == ReaderKind.Fast)
                {
                    fastReports[i] = report;
                }

                MediaStreamReader reader = stream.Subscribe(TestRtp.Grant(stream.Id, StreamAction.Read));
                readers.Add(Task.Run(() => ReadAsync(stream, reader, tag, report, done.Token)));
            }
        }

        Task[] publishers = streams.Select((stream, i) => Task.Run(() => PublishLossy(stream, (byte)(i + 1), seed: i, fastReports[i]))).ToArray();
        await Task.WhenAll(publishers);
        foreach (MediaStream stream in streams)
        {
            stream.Close();
        }

        await done.CancelAsync();
        ReaderReport[] reports = await Task.WhenAll(readers);

        Assert.All(reports, r => Assert.Equal(0, r.ForeignPackets));
        Assert.All(reports, r => Assert.Equal(0, r.Violations));
        Assert.All(reports, r => Assert.Equal(0, r.StartedMidGop));
        Assert.All(reports.Where(r => r.Kind == ReaderKind.Fast), r => Assert.True(r.Packets > 0));
        Assert.True(reports.Where(r => r.Kind == ReaderKind.Slow).Sum(r => r.Resyncs) > 0, "slow readers should have lagged");
    }

    private static void PublishLossy(MediaStream stream, byte tag, int seed, ReaderReport fast)
    {
        var random = new Random(seed);
        long published = 0;
        ushort seq = 0;
        uint timestamp = 0;
        for (int gop = 0; gop < Gops; gop++)
        {
            for (int frame = 0; frame < FramesPerGop; frame++)
            {
                timestamp += 3000;
                byte[] nals = frame == 0 ? [TestRtp.Sps, TestRtp.Pps, TestRtp.Idr] : [TestRtp.NonIdr];
                foreach (byte nal in nals)
                {
                    // 2% loss, but never of the IDR itself, so each GOP stays decodable for the test.
                    if (nal != TestRtp.Idr && random.Next(100) < 2)
                    {
                        seq++;
                        continue;
                    }

                    stream.PublishRtp(0, TestRtp.Packet(seq++, timestamp, nal, tag, marker: nal is TestRtp.Idr or TestRtp.NonIdr, extra: random.Next(8, 1200)));
                    published++;
                }

                stream.PublishRtp(1, TestRtp.Packet(seq, timestamp, 0xFC, tag, payloadType: 97));
                published++;

                // Pace the camera to its fast reader (as a real camera is paced by its clock), so
                // "fast" keeps up while "slow" falls behind. Bounded: a stuck reader fails the test.
                SpinWait.SpinUntil(() => Interlocked.Read(ref fast.Consumed) >= published - 8, TimeSpan.FromSeconds(10));
            }
        }
    }

    private static async Task<ReaderReport> ReadAsync(MediaStream stream, MediaStreamReader reader, byte tag, ReaderReport report, CancellationToken done)
    {
        ReaderKind kind = report.Kind;
        bool expectStart = true;
        long drops = 0;
        int reads = 0;
        while (true)
        {
            await reader.WaitAsync();
            bool completed = reader.IsCompleted;
            while (reader.TryRead(out MediaPacket packet))
            {
                report.Packets++;
                Interlocked.Increment(ref report.Consumed);
                if (reader.QueueDrops != drops)
                {
                    drops = reader.QueueDrops;
                    expectStart = true;
                }

                if (packet.Payload[^1] != tag || packet.StampedStreamId != stream.Id)
                {
                    report.ForeignPackets++;
                }

                if (expectStart && packet.TrackIndex == 0)
                {
                    // The first video packet after (re)joining must belong to a keyframe access unit
                    // (its SPS, or its PPS or IDR when loss took the packets before them).
                    report.StartedMidGop += packet.Payload[0] is TestRtp.Sps or TestRtp.Pps or TestRtp.Idr ? 0 : 1;
                    expectStart = false;
                }

                packet.Release();
                if (kind == ReaderKind.Slow && ++reads % 50 == 0)
                {
                    await Task.Delay(1, CancellationToken.None);
                }
            }

            report.Resyncs = Math.Max(report.Resyncs, reader.Resyncs);

            if (completed || done.IsCancellationRequested)
            {
                break;
            }

            if (kind == ReaderKind.Reconnecting && report.Packets > 0 && ++reads % 40 == 0)
            {
                report.Violations += reader.IsolationViolations;
                reader.Dispose();
                reader = stream.Subscribe(TestRtp.Grant(stream.Id, StreamAction.Read));
                expectStart = true;
                drops = 0;
            }
        }

        report.Violations += reader.IsolationViolations;
        reader.Dispose();
        return report;
    }

    private enum ReaderKind
    {
        Fast,
        Slow,
        Reconnecting,
    }

    private sealed class ReaderReport(ReaderKind kind)
    {
        public ReaderKind Kind { get; } = kind;

        public long Packets { get; set; }

        /// <summary>Read across threads by the publisher that paces itself on this reader.</summary>
        public long Consumed;

        public long ForeignPackets { get; set; }

        public long Violations { get; set; }

        public long StartedMidGop { get; set; }

        public long Resyncs { get; set; }
    }
}
