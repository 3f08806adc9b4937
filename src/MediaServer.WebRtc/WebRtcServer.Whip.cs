using System.Net;
using MediaServer.Core.Access;
using MediaServer.Core.Metrics;
using MediaServer.Core.Streams;
using MediaServer.WebRtc.Negotiation;
using MediaServer.WebRtc.Stun;
using MediaServer.WebRtc.Whip;
using Microsoft.Extensions.Logging;

namespace MediaServer.WebRtc;

/// <summary>WHIP (RFC 9725): a publisher's session, on the same port, limits and registry as WHEP viewers.</summary>
public sealed partial class WebRtcServer
{
    /// <summary>
    /// A new publishing session for <paramref name="owner"/>, who must be allowed to publish the
    /// path. The stream is published when the answer is made (so the path is busy from then on),
    /// Ready (protocol <c>webrtc</c>) once DTLS is done, and unpublished (NotReady) when the
    /// session ends, whatever ends it.
    /// </summary>
    public WhipResult CreatePublishSession(string path, string offerSdp, Principal owner, IPAddress? client = null)
    {
        if (!StreamId.TryCreate(path, out StreamId id, out string? pathError))
        {
            return new WhipResult(WhipOutcome.BadPath, null, pathError);
        }

        AccessDecision decision = _authorizer.Authorize(id, StreamAction.Publish, owner, out StreamGrant grant);
        if (decision != AccessDecision.Allowed)
        {
            WhipOutcome refused = decision switch
            {
                AccessDecision.NoSuchPath => WhipOutcome.NoSuchPath,
                AccessDecision.Unauthorized => WhipOutcome.Unauthorized,
                _ => WhipOutcome.Forbidden,
            };
            return new WhipResult(refused, null, null);
        }

        if (grant.Rule!.Source is not null)
        {
            return new WhipResult(WhipOutcome.NotPublisherPath, null, $"'{id.Path}' takes its stream from a source the server pulls, not from a publisher");
        }

        if (Volatile.Read(ref _stopping))
        {
            return new WhipResult(WhipOutcome.ShuttingDown, null, "the server is shutting down");
        }

        if (!WebRtcOffer.TryParse(offerSdp, out WebRtcOffer? offer, out string? error))
        {
            return new WhipResult(WhipOutcome.MalformedOffer, null, error);
        }

        var local = new LocalTransportDescription(IceCredentials.NewUfrag(), IceCredentials.NewPassword(), Certificate.Fingerprint, _candidates);
        if (WhipAnswerBuilder.TryBuild(offer!, local, out WhipNegotiation? negotiation) != OfferRejection.None)
        {
            return new WhipResult(WhipOutcome.NothingPublishable, null,
                "the offer sends no codec the server can publish (video: H264 packetization-mode=1, VP8, VP9, AV1; audio: opus, PCMU, PCMA, G722)");
        }

        if (!Quota.TryTake(client, owner, out WebRtcSessionSlot? slot, out WebRtcSessionLimit refusedBy))
        {
            return new WhipResult(WhipOutcome.TooManySessions, null, CountRefusal("WHIP publisher", id, client, owner, refusedBy));
        }

        WhipResult? result = null;
        try
        {
            result = Publish(id, grant, negotiation!, owner, slot);
            return result;
        }
        finally
        {
            if (result?.Session is null)
            {
                slot.Release();
            }
        }
    }

    private WhipResult Publish(StreamId id, StreamGrant grant, WhipNegotiation negotiation, Principal owner, WebRtcSessionSlot slot)
    {
        PublishOutcome outcome = _streams.TryPublish(grant, negotiation.Published, out MediaStream? stream, "webrtc");
        switch (outcome)
        {
            case PublishOutcome.PathBusy:
                _logger.LogWarning("WHIP publisher of {Path} refused: someone is already publishing it", id.Path);
                return new WhipResult(WhipOutcome.PathBusy, null, $"'{id.Path}' is being published by someone else");
            case PublishOutcome.TooManyPublishers:
                _logger.LogWarning("WHIP publisher of {Path} refused: Streams:MaxPublishers paths are published already", id.Path);
                return new WhipResult(WhipOutcome.TooManySessions, null, "the server has reached Streams:MaxPublishers");
            case PublishOutcome.Published or PublishOutcome.ReplacedPrevious when stream is not null:
                break;
            default:
                return new WhipResult(WhipOutcome.Forbidden, null, null);
        }

        var ingest = new WhipIngest(stream, negotiation.Answer.Tracks);
        var session = new WebRtcSession(
            NewResourceId(),
            owner,
            ingest,
            negotiation.Answer,
            Transport,
            Certificate,
            _options,
            slot,
            _loggers.CreateLogger<WebRtcSession>());
        if (!Sessions.TryAdd(session))
        {
            _streams.Unpublish(stream);
            session.Dispose();
            return new WhipResult(WhipOutcome.TooManySessions, null, "could not allocate unique session identifiers; try again");
        }

        string codecs = string.Join(", ", negotiation.Answer.Tracks.Select(t => $"{t.Mid}={t.Format.EncodingName}"));
        _logger.LogInformation(
            "WHIP session {SessionId} publishes {Path} for {Principal}: {Codecs} on {Transports} transport(s) ({Outcome})",
            session.Id, id.Path, owner.Name, codecs, negotiation.Answer.Transports.Count, outcome);
        // Ready once media can flow (DTLS done), as an RTSP publisher is at RECORD, not at ANNOUNCE.
        StreamEvents events = _streams.Events;
        ingest.Connected = () => events.Raise(StreamEventKind.Ready, id, session.Id, "webrtc");

        // A publisher replaced by another (a path that allows it), or a stream ended by a reload
        // or shutdown, ends the session; the session's end unpublishes what it published.
        stream.Completion.ContinueWith(
            _ => session.CloseAsync($"stream {id.Path} was closed"),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        session.Completion.ContinueWith(
            _ =>
            {
                _streams.Unpublish(stream);
                if (ingest.WasConnected)
                {
                    events.Raise(StreamEventKind.NotReady, id, session.Id, "webrtc");
                }

                _logger.LogInformation(
                    "WHIP session {SessionId} of {Path} for {Principal} ended ({Codecs}): {Reason}; {Packets} packets published",
                    session.Id, id.Path, owner.Name, codecs, session.CloseReason, session.PacketsReceived);
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return new WhipResult(WhipOutcome.Created, session, null);
    }
}
