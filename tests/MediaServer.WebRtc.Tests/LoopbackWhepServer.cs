using System.Net;
using System.Text;
using MediaServer.Core.Access;
using MediaServer.Core.Streams;
using MediaServer.Media.Sdp;
using MediaServer.WebRtc.Dtls;
using MediaServer.WebRtc.Whep;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaServer.WebRtc.Tests;

/// <summary>
/// A real <see cref="WebRtcServer"/> on 127.0.0.1 with one published H.264 + Opus path, and an
/// <see cref="HttpMessageHandler"/> that answers WHEP POST and DELETE as the host's endpoints do,
/// so a <see cref="Testing.WebRtc.WhepClient"/> can connect without a web server.
/// </summary>
internal sealed class LoopbackWhepServer : HttpMessageHandler
{
    public const string Path = "cam1";

    private const string CameraSdp =
        "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=cam\r\nt=0 0\r\n" +
        "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1;profile-level-id=42e01f\r\n" +
        "m=audio 0 RTP/AVP 111\r\na=rtpmap:111 opus/48000/2\r\n";

    private readonly WebRtcUdpTransport _transport;
    private readonly WebRtcServer _server;

    public LoopbackWhepServer()
    {
        var options = new WebRtcOptions { UdpAddress = "127.0.0.1", UdpPort = 0 };
        var streams = new StreamRegistry(new StreamOptions());
        var authorizer = new StreamAuthorizer([new PathOptions { Name = Path }]);
        _transport = new WebRtcUdpTransport(options, NullLogger<WebRtcUdpTransport>.Instance);
        _server = new WebRtcServer(streams, authorizer, _transport, DtlsCertificate.Generate(DateTimeOffset.UtcNow), options, NullLoggerFactory.Instance);

        Assert.True(StreamId.TryCreate(Path, out StreamId id));
        Assert.Equal(AccessDecision.Allowed, authorizer.Authorize(id, StreamAction.Publish, Principal.Everyone, out StreamGrant grant));
        Assert.True(SessionDescription.TryParse(CameraSdp, out SessionDescription? description, out string? error), error);
        Assert.Equal(PublishOutcome.Published, streams.TryPublish(grant, description!, out MediaStream? stream));
        Stream = stream!;
    }

    /// <summary>The published path's stream: what a test publishes here, the WHEP sessions send.</summary>
    public MediaStream Stream { get; }

    public static Uri WhepUrl { get; } = new($"http://whep.test/{Path}/whep");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Post)
        {
            string offer = await request.Content!.ReadAsStringAsync(cancellationToken);
            WhepResult result = _server.CreateSession(Path, offer, Principal.Everyone, IPAddress.Loopback);
            if (result.Outcome != WhepOutcome.Created)
            {
                return new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StringContent(result.Error ?? result.Outcome.ToString()) };
            }

            var created = new HttpResponseMessage(HttpStatusCode.Created) { Content = new StringContent(result.Session!.Answer.Sdp, Encoding.UTF8, "application/sdp") };
            created.Headers.Location = new Uri($"/{Path}/whep/{result.Session.Id}", UriKind.Relative);
            return created;
        }

        if (request.Method == HttpMethod.Delete && _server.Sessions.TryGet(request.RequestUri!.Segments[^1], out WebRtcSession? session))
        {
            await session!.CloseAsync("deleted");
            return new HttpResponseMessage(HttpStatusCode.OK);
        }

        return new HttpResponseMessage(HttpStatusCode.NotFound);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (WebRtcSession session in _server.Sessions.All.ToList())
            {
                session.Dispose();
            }

            Stream.Close();
            _transport.Dispose();
        }

        base.Dispose(disposing);
    }
}
