using MediaServer.Core.Sources;
using MediaServer.Core.Streams;

namespace MediaServer.Api;

/// <summary>One published path as <c>GET /v1/paths</c> shows it.</summary>
internal sealed record PathView(
    string Name,
    string State,
    DateTimeOffset? Created,
    PublisherView? Publisher,
    SourceView? Source,
    TrackView[] Tracks,
    ReaderCounts Readers,
    long PacketsIn,
    long BytesIn,
    long BitsPerSecondIn,
    long BitsPerSecondOut)
{
    /// <summary>Builds the view from the stream and the sessions on it (matched by publication, not by name).</summary>
    public static PathView From(MediaStream stream, IReadOnlyList<SessionEntry> sessions, StreamRates rates, SourceStatus? source = null)
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
            source is null ? null : SourceView.From(source),
            tracks,
            new ReaderCounts(stream.ReaderCount, rtspReaders, webRtcReaders),
            stream.PacketsIn,
            stream.BytesIn,
            rates.BitsPerSecondIn,
            rates.BitsPerSecondOut);
    }

    /// <summary>A path that pulls a camera and has no stream now: its state is its source's (idle, connecting, retrying).</summary>
    public static PathView ForSource(string name, SourceStatus source) =>
        new(name, SourceLabels.Of(source.State), null, null, SourceView.From(source), [], new ReaderCounts(0, 0, 0), 0, 0, 0, 0);
}
