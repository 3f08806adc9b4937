using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using MediaServer.Media.Formats.H264;

namespace MediaServer.EndToEnd.Infrastructure.Chaos;

/// <summary>
/// An RTSP/TCP (interleaved) reader we control byte by byte, so it can stall: it stops reading
/// its socket (small receive buffer) until the server has had to mark it lagging, then reads on.
/// It decodes what it gets (depacketizer + ffmpeg) and checks the property the server promises a
/// slow reader: after a drop it resumes at a keyframe, never mid-GOP. A resume shows as a jump in
/// RTP time (sequence numbers are rewritten to stay continuous); every jump, and the first packet
/// of the connection, must begin a keyframe.
/// </summary>
internal sealed class StallingRtspReader : IViewerSession
{
    /// <summary>RTP time (90 kHz) between two packets beyond which the reader skipped pictures: 10 frames at 25 fps.</summary>
    private const int DiscontinuityTicks = 36000;

    private const int IpProtoTcp = 6;
    private const int TcpMaxSegment = 2; // TCP_MAXSEG on Linux

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly RtspWireReader _wire;
    private readonly FrameDecoder _decoder;
    private readonly AnnexBWriter _annexB;
    private readonly H264Depacketizer _depacketizer;
    private readonly CancellationTokenSource _stop = new();
    private readonly string _url;
    private readonly string _session;
    private readonly Task _keepAlive;
    private TaskCompletionSource? _stalled;
    private int _cseq;
    private bool _started;
    private uint _lastTimestamp;
    private int _resumes;
    private int _resumesAtKeyframe;
    private bool _checking;
    private bool _checkingResume;
    private uint _checkedTimestamp;

    private StallingRtspReader(TcpClient tcp, RtspWireReader wire, FrameDecoder decoder, string url, string session, int cseq, string sdp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _wire = wire;
        _decoder = decoder;
        _url = url;
        _session = session;
        _cseq = cseq;
        _annexB = new AnnexBWriter(decoder.Input);
        _annexB.WriteParameterSets(SdpFacts.ParameterSets(sdp));
        _depacketizer = new H264Depacketizer(_annexB);
        Ended = ReadLoopAsync();
        _keepAlive = KeepAliveAsync();
    }

    public Task Ended { get; }

    /// <summary>Whether the connection's first access unit held an IDR picture (null before any packet).</summary>
    public bool? StartedAtKeyframe { get; private set; }

    /// <summary>Times the RTP clock jumped (the server dropped our queue and resumed us).</summary>
    public int Resumes => Volatile.Read(ref _resumes);

    /// <summary>Of those, the ones whose first access unit held an IDR picture; must equal <see cref="Resumes"/>.</summary>
    public int ResumesAtKeyframe => Volatile.Read(ref _resumesAtKeyframe);

    public static async Task<StallingRtspReader> ConnectAsync(int port, string path, ColourTally tally, CancellationToken cancellationToken)
    {
        // A small receive window, so the server's side fills soon after we stop reading.
        var tcp = new TcpClient { ReceiveBufferSize = 16 * 1024 };
        try
        {
            // An Ethernet-sized MSS instead of loopback's 64 KiB, so the server's send buffer
            // (which Linux sizes from the MSS) is what it would be on a real network, not megabytes.
            tcp.Client.SetRawSocketOption(IpProtoTcp, TcpMaxSegment, BitConverter.GetBytes(1448));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await tcp.ConnectAsync("127.0.0.1", port, timeout.Token);
            NetworkStream stream = tcp.GetStream();
            var wire = new RtspWireReader(stream);
            string url = $"rtsp://127.0.0.1:{port}/{path}";
            int cseq = 0;
            (string head, string sdp) = await RequestAsync(stream, wire, $"DESCRIBE {url} RTSP/1.0\r\nCSeq: {++cseq}\r\nAccept: application/sdp\r\n{ChaosTenants.ViewerAuthorization}\r\n\r\n", timeout.Token);
            string control = SdpFacts.VideoControl(sdp, RtspWireReader.Header(head, "Content-Base") ?? url + "/");
            (head, _) = await RequestAsync(stream, wire,
                $"SETUP {control} RTSP/1.0\r\nCSeq: {++cseq}\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n", timeout.Token);
            string session = (RtspWireReader.Header(head, "Session") ?? throw new InvalidOperationException("SETUP without Session")).Split(';')[0];
            await RequestAsync(stream, wire, $"PLAY {url} RTSP/1.0\r\nCSeq: {++cseq}\r\nSession: {session}\r\n\r\n", timeout.Token);
            return new StallingRtspReader(tcp, wire, FrameDecoder.StartAnnexB(tally), url, session, cseq, sdp);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Stops reading until the socket has been full for a second and then <paramref name="lagged"/>
    /// holds (the server dropped a reader's queue), or <paramref name="limit"/> passes. True when lagged.
    /// </summary>
    public async Task<bool> StallAsync(Func<bool> lagged, TimeSpan limit)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _stalled, gate);
        bool sawLag = false;
        try
        {
            long giveUp = Environment.TickCount64 + (long)limit.TotalMilliseconds;
            int lastAvailable = -1;
            int steady = 0;
            while (Environment.TickCount64 < giveUp && !Ended.IsCompleted)
            {
                int available = _tcp.Available;
                steady = available == lastAvailable && available > 0 ? steady + 1 : 0;
                lastAvailable = available;
                if (steady >= 10 && lagged())
                {
                    sawLag = true;
                    break;
                }

                await Task.Delay(100);
            }
        }
        finally
        {
            Volatile.Write(ref _stalled, null);
            gate.TrySetResult();
        }

        return sawLag;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Volatile.Read(ref _stalled)?.TrySetResult();
        _tcp.Dispose();
        await Task.WhenAll(Ended, _keepAlive).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _decoder.DisposeAsync();
        _stop.Dispose();
    }

    private static async Task<(string Head, string Body)> RequestAsync(NetworkStream stream, RtspWireReader wire, string request, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancellationToken);
        while (await wire.ReadAsync(cancellationToken))
        {
            if (wire.Channel >= 0)
            {
                continue;
            }

            if (!wire.Head.StartsWith("RTSP/1.0 200", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"RTSP request refused: {wire.Head.Split("\r\n")[0]}");
            }

            return (wire.Head, Encoding.ASCII.GetString(wire.Data.Span));
        }

        throw new IOException("The server closed the connection.");
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested && !_decoder.Exited.IsCompleted && !_annexB.Failed)
            {
                if (Volatile.Read(ref _stalled) is { } stalled)
                {
                    await stalled.Task;
                    continue;
                }

                if (!await _wire.ReadAsync(_stop.Token))
                {
                    return; // the server closed: the stream ended
                }

                if (_wire.Channel == 0)
                {
                    OnRtp(_wire.Data.Span);
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private void OnRtp(ReadOnlySpan<byte> rtp)
    {
        if (rtp.Length < 12)
        {
            return;
        }

        uint timestamp = BinaryPrimitives.ReadUInt32BigEndian(rtp[4..]);
        int headerLength = 12 + ((rtp[0] & 0x0F) * 4);
        if ((rtp[0] & 0x10) != 0 && rtp.Length >= headerLength + 4)
        {
            headerLength += 4 + (BinaryPrimitives.ReadUInt16BigEndian(rtp[(headerLength + 2)..]) * 4);
        }

        if (headerLength >= rtp.Length)
        {
            return;
        }

        ReadOnlySpan<byte> payload = rtp[headerLength..];
        if (_checking)
        {
            // A start point must be an access unit with an IDR picture (parameter sets and SEI
            // may come first, with the same RTP time); the first packet of the next one decides.
            if (timestamp != _checkedTimestamp)
            {
                _checking = false;
            }
            else if (H264Keyframes.StartsIdr(payload))
            {
                _checking = false;
                if (_checkingResume)
                {
                    Interlocked.Increment(ref _resumesAtKeyframe);
                }
                else
                {
                    StartedAtKeyframe = true;
                }
            }
        }

        if (!_started || (int)(timestamp - _lastTimestamp) is > DiscontinuityTicks or < -DiscontinuityTicks)
        {
            _checking = true;
            _checkingResume = _started;
            _checkedTimestamp = timestamp;
            if (_started)
            {
                Interlocked.Increment(ref _resumes);
            }
            else
            {
                StartedAtKeyframe = false;
            }

            _started = true;
            if (H264Keyframes.StartsIdr(payload))
            {
                _checking = false;
                if (_checkingResume)
                {
                    Interlocked.Increment(ref _resumesAtKeyframe);
                }
                else
                {
                    StartedAtKeyframe = true;
                }
            }
        }

        _lastTimestamp = timestamp;
        _depacketizer.Push(payload, BinaryPrimitives.ReadUInt16BigEndian(rtp[2..]), timestamp, (rtp[1] & 0x80) != 0);
    }

    /// <summary>An OPTIONS now and then (also while stalled), so the session does not time out.</summary>
    private async Task KeepAliveAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested && !Ended.IsCompleted)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), _stop.Token);
                string request = $"OPTIONS {_url} RTSP/1.0\r\nCSeq: {++_cseq}\r\nSession: {_session}\r\n\r\n";
                await _stream.WriteAsync(Encoding.ASCII.GetBytes(request), _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }
}
