using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using MediaServer.Core.Access;
using MediaServer.Core.Packets;
using MediaServer.Core.Sources;
using MediaServer.Core.Streams;
using MediaServer.Media.Sdp;
using MediaServer.Rtsp.Client;
using MediaServer.Rtsp.Protocol;

namespace MediaServer.Benchmarks;

/// <summary>
/// The pulled camera's per-packet path over TCP: a read of a burst of interleaved frames from the
/// connection's pipe, each frame parsed, counted for receiver reports and published through
/// <see cref="SourcePublisher"/> into a stream with one reader, readers woken once per read, and
/// the reader draining. Goal: 0 B allocated per read (and so per packet).
/// </summary>
[MemoryDiagnoser]
public class PulledIngestBenchmarks
{
    private const int FramesPerRead = 8;
    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
    private MediaStream _stream = null!;
    private MediaStreamReader _reader = null!;
    private InterleavedIngest _ingest = null!;
    private SourcePublisher _publisher = null!;
    private byte[] _burst = [];
    private int _frameLength;
    private ushort _seq;

    [GlobalSetup]
    public void Setup()
    {
        if (!SessionDescription.TryParse(BenchPackets.H264Sdp, out SessionDescription? sdp, out _) ||
            !StreamId.TryCreate("bench/pulled", out StreamId id))
        {
            throw new InvalidOperationException("Benchmark set-up is broken.");
        }

        _stream = new MediaStream(id, sdp!, new StreamOptions());
        var authorizer = new StreamAuthorizer([new PathOptions { Name = "~^.+$" }]);
        authorizer.Authorize(id, StreamAction.Read, out StreamGrant grant);
        _reader = _stream.Subscribe(grant);
        _publisher = new SourcePublisher(_stream);
        var track = new PulledTrack(0, "rtsp://camera/bench/trackID=0", 90000) { Channels = (0, 1) };
        _ingest = new InterleavedIngest(_pipe.Reader, [track], _publisher, new RtspResponseParser(new RtspLimits()));

        // A keyframe makes the reader live; then bursts of P-slice packets.
        _stream.PublishRtp(0, BenchPackets.Rtp(_seq++, 0, BenchPackets.Slice(0x65)));
        byte[] packet = BenchPackets.Rtp(0, 3000, BenchPackets.Slice(0x41));
        _frameLength = InterleavedFrame.HeaderLength + packet.Length;
        var burst = new ArrayBufferWriter<byte>();
        for (int i = 0; i < FramesPerRead; i++)
        {
            InterleavedFrame.Write(burst, 0, packet);
        }

        _burst = burst.WrittenSpan.ToArray();
        for (int i = 0; i < 10_000; i++)
        {
            ReadBurst();
        }
    }

    [Benchmark(OperationsPerInvoke = FramesPerRead)]
    public void ReadBurst()
    {
        for (int i = 0; i < FramesPerRead; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(_burst.AsSpan((i * _frameLength) + InterleavedFrame.HeaderLength + 2), _seq++);
        }

        _pipe.Writer.Write(_burst);
        // Without a pause threshold a flush completes at once: nothing waits on the reader.
        ValueTask<FlushResult> flush = _pipe.Writer.FlushAsync();
        if (!flush.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException("The flush waited.");
        }
        if (!_pipe.Reader.TryRead(out ReadResult result))
        {
            throw new InvalidOperationException("The pipe held nothing.");
        }

        ReadOnlySequence<byte> buffer = result.Buffer;
        _publisher.AddBytes((int)buffer.Length);
        if (_ingest.Consume(ref buffer, out _) != InterleavedIngest.Outcome.More)
        {
            throw new InvalidOperationException("The burst did not parse.");
        }

        _publisher.EndBurst();
        _pipe.Reader.AdvanceTo(buffer.Start, buffer.End);
        while (_reader.TryRead(out MediaPacket packet))
        {
            packet.Release();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_reader.DroppedPackets != 0 || _publisher.Refused != 0)
        {
            throw new InvalidOperationException("Packets were dropped or refused: the benchmark measured another path.");
        }

        _reader.Dispose();
        _stream.Close();
    }
}
