using System.Net;
using System.Text;
using MediaServer.Core.Access;
using MediaServer.Core.Streams;
using MediaServer.WebRtc.Dtls;
using MediaServer.WebRtc.Whep;
using MediaServer.WebRtc.Whip;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaServer.WebRtc.Tests.Whip;

/// <summary>
/// A real <see cref="WebRtcServer"/> on 127.0.0.1 and an <see cref="HttpMessageHandler"/> that
/// answers WHIP POST (and WHEP POST, for viewers) as the host's endpoints do, so a
/// <see cref="Testing.WebRtc.WhipClient"/> can publish <see cref="Path"/> without a web server.
/// </summary>
internal sealed class LoopbackWhipServer : HttpMessageHandler
{
    public const string Path = "cam1";

    private readonly WebRtcUdpTransport _transport;

    public LoopbackWhipServer()
    {
        var options = new WebRtcOptions { UdpAddress = "127.0.0.1", UdpPort = 0 };
        Streams = new StreamRegistry(new StreamOptions());
        Authorizer = new StreamAuthorizer([new PathOptions { Name = Path }]);
        _transport = new WebRtcUdpTransport(options, NullLogger<WebRtcUdpTransport>.Instance);
        Server = new WebRtcServer(Streams, Authorizer, _transport, DtlsCertificate.Generate(DateTimeOffset.UtcNow), options, NullLoggerFactory.Instance);
    }

    public static Uri WhipUrl { get; } = new($"http://whip.test/{Path}/whip");

    public StreamRegistry Streams { get; }

    public StreamAuthorizer Authorizer { get; }

    public WebRtcServer Server { get; }

    public static Uri WhepUrl { get; } = new($"http://whip.test/{Path}/whep");

    /// <summary>The one publishing session.</summary>
    public WebRtcSession Session => Assert.Single(Server.Sessions.All, s => s.IsPublisher);

    /// <summary>A reader of the published stream, as any egress would take one.</summary>
    public MediaStreamReader Subscribe()
    {
        Assert.True(StreamId.TryCreate(Path, out StreamId id));
        Assert.Equal(AccessDecision.Allowed, Authorizer.Authorize(id, StreamAction.Read, Principal.Everyone, out StreamGrant grant));
        Assert.True(Streams.TryGet(id, out MediaStream stream));
        return stream.Subscribe(grant);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Delete)
        {
            if (Server.Sessions.TryGet(request.RequestUri!.Segments[^1], out WebRtcSession? session))
            {
                await session!.CloseAsync("deleted");
            }

            return new HttpResponseMessage(HttpStatusCode.OK);
        }

        string offer = await request.Content!.ReadAsStringAsync(cancellationToken);
        if (request.RequestUri!.AbsolutePath.EndsWith("/whep", StringComparison.Ordinal))
        {
            // A viewer of what is published here, as a WHEP POST would make it.
            WhepResult viewer = Server.CreateSession(Path, offer, Principal.Everyone, IPAddress.Loopback);
            var answered = new HttpResponseMessage(viewer.Outcome == WhepOutcome.Created ? HttpStatusCode.Created : HttpStatusCode.BadRequest)
            {
                Content = new StringContent(viewer.Session?.Answer.Sdp ?? viewer.Error ?? "", Encoding.UTF8, "application/sdp"),
            };
            answered.Headers.Location = viewer.Session is null ? null : new Uri($"/{Path}/whep/{viewer.Session.Id}", UriKind.Relative);
            return answered;
        }

        WhipResult result = Server.CreatePublishSession(Path, offer, Principal.Everyone, IPAddress.Loopback);
        if (result.Outcome != WhipOutcome.Created)
        {
            return new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StringContent(result.Error ?? result.Outcome.ToString()) };
        }

        var created = new HttpResponseMessage(HttpStatusCode.Created) { Content = new StringContent(result.Session!.Answer.Sdp, Encoding.UTF8, "application/sdp") };
        created.Headers.Location = new Uri($"/{Path}/whip/{result.Session.Id}", UriKind.Relative);
        return created;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (WebRtcSession session in Server.Sessions.All.ToList())
            {
                session.Dispose();
            }

            _transport.Dispose();
        }

        base.Dispose(disposing);
    }
}
