using MediaServer.Core.Streams;
using Microsoft.Extensions.Logging;

namespace MediaServer.Core.Tests.Streams;

public class BFrameDetectionTests
{
    private static byte[] Slice(ushort seq, uint timestamp, byte nalHeader, byte sliceHeader)
    {
        byte[] packet = TestRtp.Packet(seq, timestamp, nalHeader);
        packet[13] = sliceHeader;
        return packet;
    }

    [Fact]
    public void A_b_slice_on_ingest_flags_the_track_and_is_logged_once_per_publish()
    {
        var log = new RecordingLogger();
        var stream = new MediaStream(TestRtp.Id("cam1"), TestRtp.Sdp(), new StreamOptions(), logger: log);
        stream.PublishRtp(0, TestRtp.Packet(1, 0, TestRtp.Idr));
        stream.PublishRtp(0, Slice(2, 3000, TestRtp.NonIdr, 0xC0)); // P
        Assert.False(stream.Tracks[0].HasBFrames);

        stream.PublishRtp(0, Slice(3, 6000, 0x01, 0xA0)); // B
        stream.PublishRtp(0, Slice(4, 9000, 0x01, 0xA0)); // B again
        stream.PublishRtp(1, TestRtp.Packet(5, 9000, 0xFC, payloadType: 97));

        Assert.True(stream.Tracks[0].HasBFrames);
        Assert.False(stream.Tracks[1].HasBFrames);
        string line = Assert.Single(log.Lines);
        Assert.Contains("cam1 has B-frames", line, StringComparison.Ordinal);
        Assert.Contains("-bf 0", line, StringComparison.Ordinal);
    }

    private sealed class RecordingLogger : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
