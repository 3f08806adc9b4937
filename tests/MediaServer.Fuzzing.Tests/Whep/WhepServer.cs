using MediaServer.Core.Access;
using MediaServer.Core.Streams;
using MediaServer.Media.Sdp;
using MediaServer.WebRtc;
using MediaServer.WebRtc.Dtls;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaServer.Fuzzing.Tests.Whep;

/// <summary>
/// A real <see cref="WebRtcServer"/> in process (UDP socket on 127.0.0.1, OS-chosen port) with
/// published streams and the path rules WHEP is checked against, but no HTTP in front: the
/// properties call <see cref="WebRtcServer.CreateSession"/> as the WHEP POST handler does.
/// </summary>
internal sealed class WhepServer : IDisposable
{
    public const string CameraSdp =
        "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=cam\r\nt=0 0\r\n" +
        "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1;profile-level-id=42e01f\r\n" +
        "m=audio 0 RTP/AVP 111\r\na=rtpmap:111 opus/48000/2\r\n";

    private readonly WebRtcUdpTransport _transport;

    public WhepServer()
    {
        var options = new WebRtcOptions { UdpAddress = "127.0.0.1", UdpPort = 0 };
        Streams = new StreamRegistry(new StreamOptions());
        Authorizer = new StreamAuthorizer(
        [
            new PathOptions { Name = "cam1" },
            new PathOptions { Name = "cam2" },
            new PathOptions { Name = "locked", Read = false },
            new PathOptions { Name = "~^open/.+$" },
        ]);
        _transport = new WebRtcUdpTransport(options, NullLogger<WebRtcUdpTransport>.Instance);
        Server = new WebRtcServer(Streams, Authorizer, _transport, DtlsCertificate.Generate(DateTimeOffset.UtcNow), options, NullLoggerFactory.Instance);
    }

    public StreamRegistry Streams { get; }

    public StreamAuthorizer Authorizer { get; }

    public WebRtcServer Server { get; }

    public int UdpPort => _transport.Port;

    public MediaStream Publish(string path)
    {
        Assert.True(StreamId.TryCreate(path, out StreamId id));
        Assert.Equal(AccessDecision.Allowed, Authorizer.Authorize(id, StreamAction.Publish, Principal.Everyone, out StreamGrant grant));
        Assert.True(SessionDescription.TryParse(CameraSdp, out SessionDescription? description, out string? error), error);
        Assert.Equal(PublishOutcome.Published, Streams.TryPublish(grant, description!, out MediaStream? stream));
        return stream!;
    }

    public void Dispose()
    {
        foreach (WebRtcSession session in Server.Sessions.All.ToList())
        {
            session.Dispose();
        }

        _transport.Dispose();
    }
}
