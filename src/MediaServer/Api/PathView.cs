using MediaServer.Core.Streams;

namespace MediaServer.Api;

/// <summary>One published path as <c>GET /v1/paths</c> shows it.</summary>
internal sealed record PathView(
    string Name,
    string State,
    DateTimeOffset Created,
    PublisherView? Publisher,
    TrackView[] Tracks,
    ReaderCounts Readers,
    long PacketsIn,
    long BytesIn,
    long BitsPerSecondIn,
    long BitsPerSecondOut)
{
    /// <summary>Builds the view from the stream and the sessions on it (matched by publication, not by name).</summary>
    public static PathView From(MediaStream stream, IReadOnlyList<SessionEntry> sessions, StreamRates rates)
    {
        PublisherView? publisher = null;
        int rtspReaders = 0;
        int webRtcReaders = 0;
        foreach (SessionEntry session in sessions)
        {
            if (!ReferenceEquals(session.Stream, stream))
            {
                continue;
            }

            if (session.Mode == "publish")
            {
                publisher = new PublisherView(session.Protocol, session.RemoteAddress, session.Id, session.CreatedAt);
            }
            else if (session.Mode == "read")
            {
                if (session.Protocol == SessionEntry.Rtsp)
                {
                    rtspReaders++;
                }
                else
                {
                    webRtcReaders++;
                }
            }
        }

        var tracks = new TrackView[stream.Tracks.Count];
        for (int i = 0; i < tracks.Length; i++)
        {
            tracks[i] = TrackView.From(stream.Tracks[i]);
        }

        return new PathView(
            stream.Id.Path,
            stream.IsClosed ? "closed" : "ready",
            stream.CreatedAt,
            publisher,
            tracks,
            new ReaderCounts(stream.ReaderCount, rtspReaders, webRtcReaders),
            stream.PacketsIn,
            stream.BytesIn,
            rates.BitsPerSecondIn,
            rates.BitsPerSecondOut);
    }
}
