using MediaServer.Core.Streams;
using System.Diagnostics;
using MediaServer.Rtsp.Server;

namespace MediaServer.Rtsp.Tests.Server.Join;

public class ReplayPacerTests
{
    [Fact]
    public void A_burst_goes_at_once_then_the_rate_sets_the_wait()
    {
        var pacer = new ReplayPacer(bytesPerSecond: 1_000_000, burstBytes: 10_000);
        long now = 1_000 * Stopwatch.Frequency;
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(0, pacer.TicksUntilReady(now));
            pacer.OnSent(1000, now);
        }

        // 10 kB gone: the next kilobyte needs 1 ms of budget at 1 MB/s.
        long wait = pacer.TicksUntilReady(now);
        Assert.InRange(wait, 1, Stopwatch.Frequency / 1000 + 1);
        Assert.Equal(0, pacer.TicksUntilReady(now + wait));

        // An idle second refills only the burst, not a second's worth.
        now += Stopwatch.Frequency;
        for (int i = 0; i < 10; i++)
        {
            pacer.OnSent(1000, now);
        }

        Assert.True(pacer.TicksUntilReady(now) > 0);
    }
}
