using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MediaServer.Core.Sources;

namespace MediaServer.Rtsp.Client;

/// <summary>
/// Media over UDP: every track's RTP and RTCP socket is read by one thread, so the publisher is
/// called from one thread at a time as the contract asks (Core's <c>UdpReceiveLoop</c> runs a
/// thread per socket, which would publish two tracks' packets concurrently). Only datagrams from
/// the camera's address are taken. Ends with the reason the attempt stops.
/// </summary>
internal sealed class UdpIngest
{
    private const int PollMicroseconds = 100_000;
    private readonly PulledTrack[] _tracks;
    private readonly SourcePublisher _publisher;
    private readonly SourceConnectOptions _options;
    private readonly bool _mayFallBack;
    private readonly SocketAddress[] _cameras;
    private readonly IPEndPoint?[] _reportTargets;
    private readonly uint _reporterSsrc;
    private readonly TaskCompletionSource<Outcome> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopping;

    /// <param name="camera">The RTSP peer: a track's UDP comes from it unless its SETUP answer named another source.</param>
    public UdpIngest(PulledTrack[] tracks, IPAddress camera, SourcePublisher publisher, SourceConnectOptions options, bool mayFallBack, uint reporterSsrc)
    {
        _tracks = tracks;
        _publisher = publisher;
        _options = options;
        _mayFallBack = mayFallBack;
        _reporterSsrc = reporterSsrc;
        _cameras = Array.ConvertAll(tracks, t => new IPEndPoint(t.CameraAddress ?? camera, 0).Serialize());
        _reportTargets = Array.ConvertAll(tracks, t => t.CameraRtcpPort > 0 ? new IPEndPoint(t.CameraAddress ?? camera, t.CameraRtcpPort) : null);
        var thread = new Thread(Run) { IsBackground = true, Name = "rtsp-pull-udp" };
        thread.Start();
    }

    public enum Outcome
    {
        Stopped,
        Goodbye,
        NoMedia,
        NoUdpArrived,
    }

    public Task<Outcome> Completion => _completion.Task;

    /// <summary>Ends the thread within its poll interval; the sockets stay the session's.</summary>
    public void Stop() => _stopping = true;

    private void Run()
    {
        try
        {
            _completion.TrySetResult(Receive());
        }
        catch (Exception e)
        {
            _completion.TrySetException(e);
        }
    }

    private Outcome Receive()
    {
        var sockets = new List<Socket>(_tracks.Length * 2);
        foreach (PulledTrack track in _tracks)
        {
            sockets.Add(track.Udp!.Rtp);
            sockets.Add(track.Udp.Rtcp);
        }

        var readable = new List<Socket>(sockets.Count);
        byte[] buffer = GC.AllocateArray<byte>(65536, pinned: true);
        byte[] report = new byte[512];
        var from = new SocketAddress(_cameras[0].Family);
        long start = Environment.TickCount64;
        long lastMedia = 0;
        long nextReport = start + (long)_options.ReceiverReportInterval.TotalMilliseconds;
        while (!_stopping)
        {
            readable.Clear();
            for (int i = 0; i < sockets.Count; i++)
            {
                readable.Add(sockets[i]);
            }

            Socket.Select(readable, null, null, PollMicroseconds);
            int bytes = 0;
            bool goodbye = false;
            long arrival = Stopwatch.GetTimestamp();
            for (int r = 0; r < readable.Count; r++)
            {
                Socket socket = readable[r];
                int slot = sockets.IndexOf(socket);
                PulledTrack track = _tracks[slot >> 1];
                // Readable means a datagram or a pending error is there, so the first receive does not
                // block; it must be made even when Available is 0, or a pending ICMP error (a receiver
                // report to a camera port that closed) keeps the socket readable and the loop spinning.
                do
                {
                    int received;
                    try
                    {
                        received = socket.ReceiveFrom(buffer, SocketFlags.None, from);
                    }
                    catch (SocketException)
                    {
                        break;
                    }

                    if (!IsFrom(from, _cameras[slot >> 1]))
                    {
                        continue;
                    }

                    bytes += received;
                    ReadOnlySpan<byte> datagram = buffer.AsSpan(0, received);
                    if ((slot & 1) == 0)
                    {
                        track.OnRtp(datagram, arrival);
                        _publisher.PublishRtp(track.Index, datagram);
                        lastMedia = Environment.TickCount64;
                    }
                    else
                    {
                        _publisher.OnRtcp(track.Index, datagram);
                        goodbye |= track.OnRtcp(datagram);
                    }
                }
                while (socket.Available > 0);
            }

            if (bytes > 0)
            {
                _publisher.AddBytes(bytes);
                _publisher.EndBurst();
            }

            if (goodbye)
            {
                return Outcome.Goodbye;
            }

            long now = Environment.TickCount64;
            if (lastMedia == 0 && _mayFallBack && now - start >= _options.UdpFallbackAfter.TotalMilliseconds)
            {
                return Outcome.NoUdpArrived;
            }

            if (now - (lastMedia == 0 ? start : lastMedia) >= _options.ReadTimeout.TotalMilliseconds)
            {
                return Outcome.NoMedia;
            }

            if (now >= nextReport)
            {
                nextReport = now + (long)_options.ReceiverReportInterval.TotalMilliseconds;
                SendReports(report);
            }
        }

        return Outcome.Stopped;
    }

    private void SendReports(byte[] report)
    {
        for (int i = 0; i < _tracks.Length; i++)
        {
            IPEndPoint? target = _reportTargets[i];
            int length = _tracks[i].WriteReceiverReport(report, _reporterSsrc);
            if (target is null || length == 0)
            {
                continue;
            }

            try
            {
                _tracks[i].Udp!.Rtcp.SendTo(report.AsSpan(0, length), SocketFlags.None, target);
            }
            catch (SocketException)
            {
                // An ICMP error from a camera port that closed: the media timeout decides.
            }
        }
    }

    /// <summary>The same IP as the camera's (the port may be any: cameras send from other ports than they name).</summary>
    private static bool IsFrom(SocketAddress from, SocketAddress camera)
    {
        if (from.Family != camera.Family)
        {
            return false;
        }

        // sockaddr_in: family (2), port (2), address (4); sockaddr_in6: family, port, flow info (4), address (16).
        Range address = from.Family == AddressFamily.InterNetwork ? 4..8 : 8..24;
        return from.Buffer.Span[address].SequenceEqual(camera.Buffer.Span[address]);
    }
}
