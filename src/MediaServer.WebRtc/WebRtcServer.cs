using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography;
using MediaServer.Core.Access;
using MediaServer.Core.Metrics;
using MediaServer.Core.Streams;
using MediaServer.WebRtc.Dtls;
using MediaServer.WebRtc.Ice;
using MediaServer.WebRtc.Negotiation;
using MediaServer.WebRtc.Stun;
using MediaServer.WebRtc.Whep;
using Microsoft.Extensions.Logging;

namespace MediaServer.WebRtc;

/// <summary>
/// Creates and ends WebRTC sessions: checks the path and the right to read it, negotiates the
/// offer against the stream's tracks, and wires a session to the shared UDP transport.
/// </summary>
public sealed partial class WebRtcServer
{
    private readonly StreamRegistry _streams;
    private readonly StreamAuthorizer _authorizer;
    private readonly WebRtcOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly IReadOnlyList<IceCandidate> _candidates;
    private bool _stopping;

    public WebRtcServer(
        StreamRegistry streams,
        StreamAuthorizer authorizer,
        WebRtcUdpTransport transport,
        DtlsCertificate certificate,
        WebRtcOptions options,
        ILoggerFactory loggers)
    {
        _streams = streams;
        _authorizer = authorizer;
        Transport = transport;
        Certificate = certificate;
        _options = options;
        _loggers = loggers;
        _logger = loggers.CreateLogger<WebRtcServer>();
        _candidates = HostCandidates(transport, options);
        Quota = new WebRtcSessionQuota(options);
        _logger.LogInformation(
            "WebRTC: ICE-lite on UDP {Port}, host candidates {Candidates}, DTLS {Fingerprint}",
            transport.Port, string.Join(", ", _candidates.Select(c => c.Address)), certificate.Fingerprint);
    }

    public WebRtcUdpTransport Transport { get; }

    public DtlsCertificate Certificate { get; }

    public WebRtcSessionRegistry Sessions => Transport.Sessions;

    public IReadOnlyList<IceCandidate> Candidates => _candidates;

    /// <summary>Session slots in total, per client address and per principal.</summary>
    public WebRtcSessionQuota Quota { get; }

    /// <summary>From now on offers are refused (503): the server drains and nothing new may start.</summary>
    public void StopAccepting() => Volatile.Write(ref _stopping, true);

    /// <summary>
    /// A new session for <paramref name="owner"/>, who must be allowed to read the path; only the
    /// same principal can later PATCH or DELETE it. <paramref name="client"/> is the address the
    /// offer came from, for <c>WebRtc:MaxSessionsPerAddress</c>.
    /// </summary>
    public WhepResult CreateSession(string path, string offerSdp, Principal owner, IPAddress? client = null)
    {
        if (!StreamId.TryCreate(path, out StreamId id, out string? pathError))
        {
            return new WhepResult(WhepOutcome.BadPath, null, pathError);
        }

        AccessDecision decision = _authorizer.Authorize(id, StreamAction.Read, owner, out StreamGrant grant);
        if (decision != AccessDecision.Allowed)
        {
            WhepOutcome refused = decision switch
            {
                AccessDecision.NoSuchPath => WhepOutcome.NoSuchPath,
                AccessDecision.Unauthorized => WhepOutcome.Unauthorized,
                _ => WhepOutcome.Forbidden,
            };
            return new WhepResult(refused, null, null);
        }

        if (Volatile.Read(ref _stopping))
        {
            return new WhepResult(WhepOutcome.ShuttingDown, null, "the server is shutting down");
        }

        if (!Quota.TryTake(client, owner, out WebRtcSessionSlot? slot, out WebRtcSessionLimit refusedBy))
        {
            return Refuse(id, client, owner, refusedBy);
        }

        // Until a session holds the slot, every way out (an exception included) gives it back.
        WhepResult? result = null;
        try
        {
            result = CreateSession(id, grant, offerSdp, owner, slot);
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

    private WhepResult CreateSession(StreamId id, StreamGrant grant, string offerSdp, Principal owner, WebRtcSessionSlot slot)
    {
        if (!_streams.TryGet(id, out MediaStream stream) || stream.IsClosed)
        {
            return new WhepResult(WhepOutcome.NotPublished, null, $"nobody publishes '{id.Path}'");
        }

        if (!WebRtcOffer.TryParse(offerSdp, out WebRtcOffer? offer, out string? error))
        {
            return new WhepResult(WhepOutcome.MalformedOffer, null, error);
        }

        var local = new LocalTransportDescription(IceCredentials.NewUfrag(), IceCredentials.NewPassword(), Certificate.Fingerprint, _candidates);
        if (AnswerBuilder.TryBuild(offer!, stream.Tracks, local, out WebRtcAnswer? answer) != OfferRejection.None)
        {
            string tracks = string.Join(", ", stream.Tracks.Select(t => t.Format.EncodingName));
            return new WhepResult(WhepOutcome.NothingPlayable, null, $"the offer accepts none of the stream's tracks ({tracks})");
        }

        foreach (string leftOut in answer!.LeftOut)
        {
            _logger.LogInformation("WHEP viewer of {Path}: {LeftOut}", id.Path, leftOut);
        }

        if (!stream.TrySubscribe(grant, out MediaStreamReader? reader))
        {
            _logger.LogWarning("WHEP viewer of {Path} refused: the path has its most readers (Streams:MaxReadersPerPath)", id.Path);
            return new WhepResult(WhepOutcome.TooManySessions, null, $"'{id.Path}' has reached Streams:MaxReadersPerPath");
        }

        var session = new WebRtcSession(
            NewResourceId(),
            owner,
            reader,
            answer,
            Transport,
            Certificate,
            _options,
            slot,
            _loggers.CreateLogger<WebRtcSession>());
        if (!Sessions.TryAdd(session))
        {
            // Its random resource id or ufrag is live already (logged as a conflict): never share one.
            session.Dispose();
            return new WhepResult(WhepOutcome.TooManySessions, null, "could not allocate unique session identifiers; try again");
        }

        _logger.LogInformation(
            "WebRTC session {SessionId} created on {Path}: {Tracks} on {Transports} transport(s), {Bundling}",
            session.Id, id.Path, string.Join(", ", answer.Tracks.Select(t => $"{t.Mid}={t.Format.EncodingName}")),
            answer.Transports.Count, answer.Bundled ? "bundled" : "not bundled (the offer has no BUNDLE group)");
        StreamEvents events = _streams.Events;
        events.Raise(StreamEventKind.Read, id, session.Id, "webrtc");
        session.Completion.ContinueWith(
            _ => events.Raise(StreamEventKind.Unread, id, session.Id, "webrtc"),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return new WhepResult(WhepOutcome.Created, session, null);
    }

    private WhepResult Refuse(StreamId id, IPAddress? client, Principal owner, WebRtcSessionLimit limit)
    {
        string error = CountRefusal("WHEP viewer", id, client, owner, limit);
        return new WhepResult(WhepOutcome.TooManySessions, null, error);
    }

    /// <summary>Counts and logs a session refused by a WebRTC session limit; the message for the client.</summary>
    private string CountRefusal(string who, StreamId id, IPAddress? client, Principal owner, WebRtcSessionLimit limit)
    {
        (string label, string key, int max, string holder) = limit switch
        {
            WebRtcSessionLimit.PerAddress => ("webrtc_sessions_per_address", "WebRtc:MaxSessionsPerAddress", _options.MaxSessionsPerAddress, "this client address"),
            WebRtcSessionLimit.PerPrincipal => ("webrtc_sessions_per_principal", "WebRtc:MaxSessionsPerPrincipal", _options.MaxSessionsPerPrincipal, "this user"),
            _ => ("webrtc_sessions", "WebRtc:MaxSessions", _options.MaxSessions, "the server"),
        };
        MetricsRegistry.LimitRejections.WithLabels(label).Inc();
        _logger.LogWarning(
            "{Who} of {Path} from {Client} ({Principal}) refused: {Max} WebRTC sessions ({Limit})",
            who, id.Path, client, owner.Name, max, key);
        return $"{holder} has reached {key} ({max})";
    }

    /// <summary>ICE restart requested through WHEP PATCH; the server's new credentials, or null if no unique ufrag could be drawn.</summary>
    public (string Ufrag, string Pwd)? RestartIce(WebRtcSession session, string remoteUfrag, string remotePwd)
    {
        if (session.TransportCount != 1)
        {
            throw new InvalidOperationException("ICE restart needs a session with one transport");
        }

        IceCredentialsPair credentials = NewCredentials(remoteUfrag, remotePwd);
        return Sessions.TryRestart(session, credentials) ? (credentials.LocalUfrag, credentials.LocalPwd) : null;
    }

    private static IceCredentialsPair NewCredentials(string remoteUfrag, string remotePwd) =>
        new(IceCredentials.NewUfrag(), IceCredentials.NewPassword(), remoteUfrag, remotePwd);

    private static string NewResourceId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static List<IceCandidate> HostCandidates(WebRtcUdpTransport transport, WebRtcOptions options)
    {
        var candidates = new List<IceCandidate>();
        IPAddress bound = transport.LocalAddress;
        if (!bound.Equals(IPAddress.Any) && !bound.Equals(IPAddress.IPv6Any))
        {
            candidates.Add(new IceCandidate(bound.ToString(), transport.Port));
        }
        else
        {
            foreach (NetworkInterface nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                if (nic.OperationalStatus != OperationalStatus.Up)
                {
                    continue;
                }

                foreach (UnicastIPAddressInformation unicast in nic.GetIPProperties().UnicastAddresses)
                {
                    if (unicast.Address.AddressFamily == AddressFamily.InterNetwork)
                    {
                        candidates.Add(new IceCandidate(unicast.Address.ToString(), transport.Port));
                    }
                }
            }
        }

        foreach (string host in options.AdditionalHosts)
        {
            if (!string.IsNullOrWhiteSpace(host))
            {
                candidates.Insert(0, new IceCandidate(host.Trim(), transport.Port));
            }
        }

        return candidates;
    }
}
