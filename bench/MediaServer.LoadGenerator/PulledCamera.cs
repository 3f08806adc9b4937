using System.Diagnostics;

namespace MediaServer.LoadGenerator;

/// <summary>
/// A camera the server pulls: served by <see cref="CameraRtspServer"/> at
/// <c>rtsp://127.0.0.1:port/{Mount}</c>, it sends each frame to every session that is playing it,
/// the same burst a pushed camera writes (<see cref="CameraRtpStream"/>). The stream runs whether
/// anyone plays it or not, as a camera's encoder does. Sessions join and leave under a lock taken
/// once per frame, never per packet; sending allocates nothing.
/// </summary>
internal sealed class PulledCamera : ICamera
{
    private readonly CameraRtpStream _stream;
    private readonly byte[] _burst;
    private readonly Lock _frameLock = new();
    private CameraPlaySession[] _playing = [];
    private long _packetsSent;
    private long _bytesSent;
    private long _plays;
    private long _sendFailures;

    public PulledCamera(string mount, string path, SyntheticH264 h264, int gopPhase)
    {
        Mount = mount;
        Path = path;
        _stream = new CameraRtpStream(h264, gopPhase);
        _burst = new byte[_stream.MaxBurstLength];
    }

    /// <summary>Where the camera serves, under the camera server's root: <c>cam0</c>.</summary>
    public string Mount { get; }

    public string Path { get; }

    public long PacketsSent => Interlocked.Read(ref _packetsSent);

    public long BytesSent => Interlocked.Read(ref _bytesSent);

    public int PlayingSessions => Volatile.Read(ref _playing).Length;

    /// <summary>PLAYs that started sending: more than one per camera in a run means the server reconnected.</summary>
    public long Plays => Interlocked.Read(ref _plays);

    /// <summary>Sessions dropped because their client stopped taking data while playing (a send timed out).</summary>
    public long SendFailures => Interlocked.Read(ref _sendFailures);

    public uint Ssrc => _stream.Ssrc;

    public void SendFrame()
    {
        CameraPlaySession[] playing;
        int length, packets;
        lock (_frameLock)
        {
            (length, packets) = _stream.WriteFrame(_burst, Stopwatch.GetTimestamp());
            playing = _playing;
        }

        Span<byte> burst = _burst.AsSpan(0, length);
        foreach (CameraPlaySession session in playing)
        {
            switch (session.Send(burst))
            {
                case SendOutcome.Sent:
                    Interlocked.Add(ref _packetsSent, packets);
                    Interlocked.Add(ref _bytesSent, length);
                    break;
                case SendOutcome.Failed:
                    Interlocked.Increment(ref _sendFailures);
                    session.Connection.Abort();
                    break;
                default:
                    Stop(session);
                    break;
            }
        }
    }

    /// <summary>
    /// The session gets every frame from the next one on; returns that frame's first sequence
    /// number and its timestamp, for PLAY's RTP-Info. The caller holds the session's connection's
    /// write lock, so the PLAY answer goes out before the first frame.
    /// </summary>
    public (ushort Sequence, uint Timestamp) Play(CameraPlaySession session)
    {
        lock (_frameLock)
        {
            _playing = [.. _playing, session];
            Interlocked.Increment(ref _plays);
            return (_stream.NextSequence, _stream.NextTimestamp);
        }
    }

    public bool IsPlaying(CameraPlaySession session) => Array.IndexOf(Volatile.Read(ref _playing), session) >= 0;

    public void Stop(CameraPlaySession session)
    {
        lock (_frameLock)
        {
            if (Array.IndexOf(_playing, session) >= 0)
            {
                _playing = [.. _playing.Where(s => s != session)];
            }
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
