using System.Buffers.Binary;
using System.Net;
using MediaServer.Media.Formats.H264;
using MediaServer.Media.Rtp;
using MediaServer.Testing.WebRtc;

namespace MediaServer.EndToEnd.Infrastructure.Chaos;

/// <summary>
/// A WebRTC viewer that decodes for real: the in-repo WHEP client (ICE, DTLS, SRTP), optionally
/// through a <see cref="FaultyUdpRelay"/>, a small jitter buffer, the H.264 depacketizer, and
/// ffmpeg decoding the Annex-B stream. Like a browser it NACKs holes, sends a PLI when one is
/// given up on, and sends receiver reports so its consent stays fresh. All RTCP goes out from the
/// client's receive thread, the one caller <see cref="WhepClient"/> allows.
/// </summary>
internal sealed class WhepViewer : IViewerSession
{
    private static readonly TimeSpan Silence = TimeSpan.FromSeconds(3);

    private readonly WhepClient _client;
    private readonly HttpClient _http;
    private readonly FaultyUdpRelay? _relay;
    private readonly FrameDecoder _decoder;
    private readonly AnnexBWriter _annexB;
    private readonly H264Depacketizer _depacketizer;
    private readonly RtpReorderBuffer _jitter;
    private readonly int _videoPayloadType;
    private readonly CancellationTokenSource _stop = new();
    private readonly ushort[] _nack = new ushort[16];
    private uint _videoSsrc;
    private long _lastRtcp;
    private long _lastPli;
    private bool _pliWanted;

    private WhepViewer(WhepClient client, HttpClient http, FaultyUdpRelay? relay, FrameDecoder decoder)
    {
        _client = client;
        _http = http;
        _relay = relay;
        _decoder = decoder;
        _annexB = new AnnexBWriter(decoder.Input);
        _annexB.WriteParameterSets(SdpFacts.ParameterSets(client.Answer));
        _depacketizer = new H264Depacketizer(_annexB);
        _jitter = new RtpReorderBuffer(Depacketize, Nack, () => _pliWanted = true);
        _videoPayloadType = SdpFacts.H264PayloadType(client.Answer);

        // Packets sent before OnRtp was set are gone, the IDR among them: ask for the cached keyframe.
        _pliWanted = true;
        Ended = WatchAsync();
    }

    public Task Ended { get; }

    public static async Task<WhepViewer> ConnectAsync(MediaServerHost host, string path, ColourTally tally,
        UdpFaults? faults, FaultCounters counters, int seed, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        FaultyUdpRelay? relay = faults is null ? null
            : new FaultyUdpRelay(faults, counters, seed, lifetime, server: new IPEndPoint(IPAddress.Loopback, host.WebRtcPort));
        var http = new HttpClient(relay is null ? new HttpClientHandler() : new CandidateRewriter(relay.ClientSidePort))
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
        http.DefaultRequestHeaders.Authorization = ChaosTenants.HouseholdToken(path);
        FrameDecoder decoder = FrameDecoder.StartAnnexB(tally);
        try
        {
            WhepClient client = await WhepClient.ConnectAsync(http, new Uri($"http://127.0.0.1:{host.HttpPort}/{path}/whep"),
                TimeSpan.FromSeconds(15), cancellationToken);
            var viewer = new WhepViewer(client, http, relay, decoder);
            client.OnRtp = viewer.OnRtp;
            return viewer;
        }
        catch
        {
            await decoder.DisposeAsync();
            relay?.Dispose();
            http.Dispose();
            throw;
        }
    }

    public long FramesDecoded => _decoder.Decoded;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Ended.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _client.OnRtp = null;
        await _client.DisposeAsync(); // DELETE: the server frees the session at once
        await _decoder.DisposeAsync();
        _relay?.Dispose();
        _http.Dispose();
        _stop.Dispose();
    }

    /// <summary>Ends when the server stops sending (stream gone, session closed) or the decoder dies.</summary>
    private async Task WatchAsync()
    {
        long packets = -1;
        long quietSince = Environment.TickCount64;
        while (!_stop.IsCancellationRequested && !_decoder.Exited.IsCompleted && !_annexB.Failed)
        {
            long now = _client.RtpPackets;
            if (now != packets)
            {
                packets = now;
                quietSince = Environment.TickCount64;
            }
            else if (Environment.TickCount64 - quietSince > Silence.TotalMilliseconds)
            {
                return;
            }

            try
            {
                await Task.Delay(200, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void OnRtp(ReadOnlyMemory<byte> rtp)
    {
        ReadOnlySpan<byte> packet = rtp.Span;
        if (packet.Length < 12 || (packet[1] & 0x7F) != _videoPayloadType)
        {
            return;
        }

        _videoSsrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        _jitter.Push(packet);
        long now = Environment.TickCount64;
        if (_pliWanted && now - _lastPli > 1000)
        {
            _pliWanted = false;
            _lastPli = now;
            _client.SendPictureLoss(_videoSsrc);
        }

        if (now - _lastRtcp > 2000)
        {
            _lastRtcp = now;
            _client.SendReceiverReport();
        }
    }

    private void Nack(ushort first, int count)
    {
        int n = Math.Min(count, _nack.Length);
        for (int i = 0; i < n; i++)
        {
            _nack[i] = (ushort)(first + i);
        }

        _client.SendNack(_videoSsrc, _nack.AsSpan(0, n));
    }

    private void Depacketize(ReadOnlyMemory<byte> rtp)
    {
        if (RtpHeader.TryParse(rtp.Span, out RtpHeader header) != RtpParseError.None)
        {
            return;
        }

        _depacketizer.Push(rtp.Span.Slice(header.HeaderLength, header.PayloadLength), header.SequenceNumber, header.Timestamp, header.Marker);
    }
}
