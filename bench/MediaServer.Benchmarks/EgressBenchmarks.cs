using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using MediaServer.Core.Access;
using MediaServer.Core.Egress;
using MediaServer.Core.Packets;
using MediaServer.Core.Streams;
using MediaServer.Media.Sdp;
using MediaServer.Rtsp;
using MediaServer.Rtsp.Server;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaServer.Benchmarks;

/// <summary>
/// TCP egress of a burst: ten 1.2 kB RTP packets rewritten for one reader by its track's
/// <see cref="RtpSender"/> and written as interleaved frames into a pipe, then one flush (what
/// each reader's egress loop does per wake); and the same burst through a live RTSP TCP egress's
/// sink, as the loop calls it (join timeline, meters, sender, interleaved frame through RtspOutput).
/// </summary>
[MemoryDiagnoser]
public class EgressBenchmarks
{
    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
    private readonly byte[] _packet = BenchPackets.Rtp(1, 3000, BenchPackets.Slice(0x41));
    private readonly RtpSender _sender = new(0xAABBCCDD, 0);
    private readonly Pipe _egressPipe = new(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
    private RtspEgressSink<RtspTcpSink> _sink;
    private MediaPacket _live = null!;

    [GlobalSetup(Target = nameof(SendBurstOfTenThroughRtspEgress))]
    public void SetupRtspEgress()
    {
        if (!SessionDescription.TryParse(BenchPackets.H264Sdp, out SessionDescription? sdp, out _) ||
            !StreamId.TryCreate("bench/egress", out StreamId id))
        {
            throw new InvalidOperationException("Benchmark set-up is broken.");
        }

        var stream = new MediaStream(id, sdp!, new StreamOptions());
        var authorizer = new StreamAuthorizer([new PathOptions { Name = "~^.+$" }]);
        authorizer.Authorize(id, StreamAction.Read, out StreamGrant grant);
        MediaStreamReader reader = stream.Subscribe(grant);
        stream.PublishRtp(0, BenchPackets.Rtp(0, 0, BenchPackets.Slice(0x65))); // a keyframe first: the reader is live
        stream.PublishRtp(0, _packet);
        if (!reader.TryRead(out MediaPacket keyframe) || !reader.TryRead(out MediaPacket packet))
        {
            throw new InvalidOperationException("Benchmark set-up is broken.");
        }

        keyframe.Release();

        _live = packet; // kept leased: sent again and again, never released
        var session = new RtspSession("bench", connection: null!) { Tracks = [new SessionTrack(0) { RtpChannel = 0, RtcpChannel = 1 }] };
        var output = new RtspOutput(_egressPipe.Writer);
        output.StartFrames(static () => { });
        RtspEgress egress = RtspEgress.Create(session, reader, new RtspTcpSink(session, output), new RtspOptions(), NullLogger.Instance, JoinMode.Gop);
        _sink = new RtspEgressSink<RtspTcpSink>(egress, new RtspTcpSink(session, output));
        _sink.BeginBurst();
    }

    [Benchmark(OperationsPerInvoke = 10)]
    public async Task WriteBurstOfTen()
    {
        for (int i = 0; i < 10; i++)
        {
            InterleavedRtpWriter.Write(_pipe.Writer, 0, _packet, _sender.TakeSequenceNumber(), 3000, _sender.Ssrc);
            _sender.OnSent(_packet.Length - 12);
        }

        await _pipe.Writer.FlushAsync();
        _pipe.Reader.TryRead(out ReadResult read);
        _pipe.Reader.AdvanceTo(read.Buffer.End);
    }

    [Benchmark(OperationsPerInvoke = 10)]
    public async Task SendBurstOfTenThroughRtspEgress()
    {
        for (int i = 0; i < 10; i++)
        {
            _sink.Send(_live, 0);
        }

        await _sink.FlushAsync();
        _egressPipe.Reader.TryRead(out ReadResult read);
        _egressPipe.Reader.AdvanceTo(read.Buffer.End);
    }
}
