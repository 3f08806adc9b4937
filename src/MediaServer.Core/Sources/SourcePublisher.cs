using System.Buffers;
using MediaServer.Core.Streams;
using MediaServer.Media.Rtcp;
using Prometheus;

namespace MediaServer.Core.Sources;

/// <summary>
/// Where a pulled source's packets go: the stream of every path that pulls this source URL
/// (usually one; two paths configured with the identical URL share the camera's one connection).
/// Called by the source's connection from one thread at a time, as a pushing publisher's read
/// loop is; each stream stamps its own copy of a packet, so two paths share no buffer.
/// </summary>
public sealed class SourcePublisher
{
    private MediaStream[] _streams;
    private readonly Counter.Child? _bytes;

    /// <param name="bytes">Counts what the connection reads (per read, not per packet); none when null.</param>
    public SourcePublisher(MediaStream stream, Counter.Child? bytes = null)
        : this([stream], bytes)
    {
    }

    internal SourcePublisher(MediaStream[] streams, Counter.Child? bytes)
    {
        _streams = streams;
        _bytes = bytes;
    }

    /// <summary>The streams packets go to now.</summary>
    public IReadOnlyList<MediaStream> Streams => Volatile.Read(ref _streams);

    /// <summary>Packets refused by every stream (malformed, another SSRC, an unknown track).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    private long _refused;

    /// <summary>One RTP packet of track <paramref name="trackIndex"/> (the index in the connection's description).</summary>
    public void PublishRtp(int trackIndex, ReadOnlySpan<byte> rtp)
    {
        MediaStream[] streams = Volatile.Read(ref _streams);
        for (int i = 0; i < streams.Length; i++)
        {
            if (streams[i].PublishRtp(trackIndex, rtp, deferWake: true) != PublishResult.Published)
            {
                _refused++;
            }
        }
    }

    /// <summary>The same for a packet that spans pipe segments (interleaved over TCP).</summary>
    public void PublishRtp(int trackIndex, in ReadOnlySequence<byte> rtp)
    {
        MediaStream[] streams = Volatile.Read(ref _streams);
        for (int i = 0; i < streams.Length; i++)
        {
            if (streams[i].PublishRtp(trackIndex, rtp, deferWake: true) != PublishResult.Published)
            {
                _refused++;
            }
        }
    }

    /// <summary>An RTCP compound from the camera: its sender reports keep readers' A/V in sync.</summary>
    public void OnRtcp(int trackIndex, ReadOnlySpan<byte> compound)
    {
        MediaStream[] streams = Volatile.Read(ref _streams);
        var reader = new RtcpCompoundReader(compound);
        while (reader.TryReadNext(out RtcpPacketType type, out _, out ReadOnlySpan<byte> packet))
        {
            if (type != RtcpPacketType.SenderReport || !RtcpSenderReport.TryParse(packet, out RtcpSenderReport report))
            {
                continue;
            }

            foreach (MediaStream stream in streams)
            {
                // A report about another SSRC than the track's publisher describes no media of this stream.
                if ((uint)trackIndex < (uint)stream.Tracks.Count && stream.Tracks[trackIndex].IsPublisherSsrc(report.Ssrc))
                {
                    stream.Tracks[trackIndex].OnSenderReport(
                        new SenderReportMapping(report.NtpTimestamp, report.RtpTimestamp, Environment.TickCount64));
                }
            }
        }
    }

    /// <summary>The end of what one read brought in: readers reached by it are woken once.</summary>
    public void EndBurst()
    {
        MediaStream[] streams = Volatile.Read(ref _streams);
        for (int i = 0; i < streams.Length; i++)
        {
            streams[i].WakeDeferredReaders();
        }
    }

    /// <summary>Bytes the connection has read through this publisher.</summary>
    public long BytesRead => Volatile.Read(ref _bytesRead);

    private long _bytesRead;

    /// <summary>Bytes the connection read (headers included), counted per read.</summary>
    public void AddBytes(int count)
    {
        // One writer (the connection's thread); the API reads it from another.
        Volatile.Write(ref _bytesRead, _bytesRead + count);
        _bytes?.Inc(count);
    }

    internal void Add(MediaStream stream)
    {
        MediaStream[] current, next;
        do
        {
            current = Volatile.Read(ref _streams);
            next = [.. current, stream];
        }
        while (Interlocked.CompareExchange(ref _streams, next, current) != current);
    }

    internal void Remove(MediaStream stream)
    {
        MediaStream[] current, next;
        do
        {
            current = Volatile.Read(ref _streams);
            next = Array.FindAll(current, s => !ReferenceEquals(s, stream));
        }
        while (Interlocked.CompareExchange(ref _streams, next, current) != current);
    }
}
