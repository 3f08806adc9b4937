using MediaServer.Core.Metrics;

namespace MediaServer.Rtsp.Server;

/// <summary>
/// How an RTSP reader's packets leave, and how its client is let go: the transport's part of an
/// <see cref="RtspEgress"/>. Implemented by a struct per transport, which
/// <see cref="RtspEgressSink{TTransport}"/> is specialized over, so each packet's write is a direct call.
/// </summary>
internal interface IRtspTransportSink
{
    /// <summary>The transport's label on the egress metrics.</summary>
    static abstract EgressTransport Label { get; }

    /// <summary>Whether a join's replay is paced to fit the player's socket.</summary>
    static abstract bool PacesReplay { get; }

    /// <summary>Writes one RTP packet with the track's sequence number, <paramref name="timestamp"/> and SSRC; buffered until <see cref="FlushAsync"/>.</summary>
    void SendRtp(SessionTrack track, ReadOnlySpan<byte> rtp, uint timestamp);

    /// <summary>Writes one RTCP compound (a sender report) about <paramref name="track"/>.</summary>
    void SendRtcp(SessionTrack track, ReadOnlySpan<byte> compound);

    /// <summary>Sends what the burst wrote; false when the client is gone.</summary>
    ValueTask<bool> FlushAsync();

    /// <summary>Unblocks a write stuck on a client that stopped reading.</summary>
    void Interrupt();

    /// <summary>The loop is over, however it ended: what a burst cut short still holds goes out.</summary>
    void OnExited();

    /// <summary>The reader was found stalled (thread pool): lets the client go without waiting for the loop.</summary>
    void Disconnect(string reason);

    /// <summary>The loop ended by itself: the stream ended, or the client went away.</summary>
    void OnEnded(bool streamEnded);
}
