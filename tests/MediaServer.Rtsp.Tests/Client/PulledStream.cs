using System.Buffers.Binary;
using MediaServer.Core.Access;
using MediaServer.Core.Packets;
using MediaServer.Core.Sources;
using MediaServer.Core.Streams;
using MediaServer.Rtsp.Client;

namespace MediaServer.Rtsp.Tests.Client;

/// <summary>
/// A pulled camera published into a real <see cref="MediaStream"/> with one reader: opens the
/// connection, runs it in the background, and collects what the reader gets.
/// </summary>
internal sealed class PulledStream : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly MediaStreamReader _reader;
    private readonly List<(int Track, ushort Sequence, bool RandomAccess, byte[] Payload)> _packets = [];

    private PulledStream(ISourceConnection connection, MediaStream stream)
    {
        Connection = connection;
        Stream = stream;
        var authorizer = new StreamAuthorizer([new PathOptions { Name = "~^.+$" }]);
        Assert.Equal(AccessDecision.Allowed, authorizer.Authorize(stream.Id, StreamAction.Read, Principal.Everyone, out StreamGrant grant));
        _reader = stream.Subscribe(grant);
        Publisher = new SourcePublisher(stream);
        Run = connection.RunAsync(Publisher, _stop.Token);
    }

    public ISourceConnection Connection { get; }

    public MediaStream Stream { get; }

    public SourcePublisher Publisher { get; }

    /// <summary>The running <see cref="ISourceConnection.RunAsync"/>.</summary>
    public Task Run { get; }

    public static async Task<PulledStream> OpenAsync(string url, SourceConnectOptions options)
    {
        ISourceConnection connection = await OpenConnectionAsync(url, options);
        Assert.True(StreamId.TryCreate("pulled", out StreamId id, out _));
        return new PulledStream(connection, new MediaStream(id, connection.Description, new StreamOptions()));
    }

    public static Task<ISourceConnection> OpenConnectionAsync(string url, SourceConnectOptions options)
    {
        Assert.True(SourceUri.TryParse(url, out SourceUri? uri, out string? error), error);
        return new RtspSourceConnector().OpenAsync(uri!, options, CancellationToken.None);
    }

    /// <summary>Packets the reader got so far.</summary>
    public IReadOnlyList<(int Track, ushort Sequence, bool RandomAccess, byte[] Payload)> Received
    {
        get
        {
            while (_reader.TryRead(out MediaPacket packet))
            {
                _packets.Add((packet.TrackIndex, packet.SequenceNumber, packet.IsRandomAccess, packet.Payload.ToArray()));
                packet.Release();
            }

            return _packets;
        }
    }

    /// <summary>How <see cref="Run"/> ended: its <see cref="SourceException"/>, within the deadline.</summary>
    public async Task<SourceException> FailureAsync(TimeSpan? deadline = null)
    {
        Task ended = await Task.WhenAny(Run, Task.Delay(deadline ?? TimeSpan.FromSeconds(10)));
        Assert.True(ended == Run, "RunAsync did not end");
        return await Assert.ThrowsAsync<SourceException>(() => Run);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAny(Run, Task.Delay(TimeSpan.FromSeconds(5)));
        await Connection.DisposeAsync();
        _reader.Dispose();
        _stop.Dispose();
    }

    /// <summary>An H.264 RTP packet (SSRC 0x11223344) carrying <paramref name="nal"/>.</summary>
    public static byte[] Rtp(ushort sequence, uint timestamp, byte[] nal, bool marker = true)
    {
        byte[] packet = new byte[12 + nal.Length];
        packet[0] = 0x80;
        packet[1] = (byte)((marker ? 0x80 : 0) | 96);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 0x11223344);
        nal.CopyTo(packet, 12);
        return packet;
    }

    // A real baseline SPS and PPS (what the server's tests announce as sprop-parameter-sets).
    public static readonly byte[] Sps = Convert.FromBase64String("Z0IAKeKQFAe2AtwEBAaQeJEV");
    public static readonly byte[] Pps = Convert.FromBase64String("aM48gA==");
    public static readonly byte[] Idr = [0x65, 0x88, 0x84, 0x00, 0x33, 0xFF];
    public static readonly byte[] Slice = [0x41, 0x9A, 0x02, 0x04];

    /// <summary>SPS, PPS, an IDR and a P slice from <paramref name="sequence"/> on.</summary>
    public static IEnumerable<byte[]> Gop(ushort sequence, uint timestamp) =>
    [
        Rtp(sequence, timestamp, Sps, marker: false),
        Rtp((ushort)(sequence + 1), timestamp, Pps, marker: false),
        Rtp((ushort)(sequence + 2), timestamp, Idr),
        Rtp((ushort)(sequence + 3), timestamp + 3000, Slice),
    ];
}
