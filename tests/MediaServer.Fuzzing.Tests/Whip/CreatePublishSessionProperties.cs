using System.Text;
using MediaServer.Core.Access;
using MediaServer.Core.Streams;
using MediaServer.Fuzzing.Tests.Generators;
using MediaServer.Fuzzing.Tests.Whep;
using MediaServer.Testing.WebRtc;
using MediaServer.WebRtc;
using MediaServer.WebRtc.Dtls;
using MediaServer.WebRtc.Stun;
using MediaServer.WebRtc.Whip;

namespace MediaServer.Fuzzing.Tests.Whip;

/// <summary>
/// Hostile WHIP POSTs against a running <see cref="WebRtcServer"/>: every offer, on every path,
/// gets a typed outcome; a publisher is created only on a path it may publish and nobody else
/// publishes, and only for that path; and a publisher already publishing another path keeps its
/// stream and its session through all of it.
/// </summary>
public sealed class CreatePublishSessionProperties : IDisposable
{
    private static readonly string Offer = WhipClient.Offer(
        IceCredentials.NewUfrag(), IceCredentials.NewPassword(), DtlsCertificate.Generate(DateTimeOffset.UtcNow).Fingerprint);

    private static readonly Gen<string> Paths = Gen.OneOf(
        Gen.OneOf("cam1", "cam2", "locked", "open/door", "nope", "", "cam1/", "../cam2", "cam1/whip"),
        Gen.String[Gen.Char[' ', '~'], 0, 20]);

    private static readonly Gen<string> Offers = Gen.OneOf(
        Mutations.Bytes([Encoding.UTF8.GetBytes(Offer)]).Select(b => Encoding.UTF8.GetString(b)),
        Gen.Const(Offer),
        Gen.String[Gen.Char, 0, 100]);

    private static readonly Principal Mallory = new("mallory", [new Permission(AccessAction.Publish, null)]);

    private readonly WhepServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public void Hostile_offers_get_typed_outcomes_and_leave_another_publishers_stream_untouched()
    {
        WhipResult first = _server.Server.CreatePublishSession("cam2", Offer, new Principal("alice", [new Permission(AccessAction.Publish, null)]));
        Assert.Equal(WhipOutcome.Created, first.Outcome);
        WebRtcSession bystander = first.Session!;
        Assert.True(StreamId.TryCreate("cam2", out StreamId cam2));
        int created = 0;

        Gen.Select(Paths, Offers).Sample((path, offer) =>
        {
            WhipResult result = _server.Server.CreatePublishSession(path, offer, Mallory);
            Assert.True(Enum.IsDefined(result.Outcome));
            Assert.Equal(result.Outcome == WhipOutcome.Created, result.Session is not null);
            if (result.Session is { } session)
            {
                // Only paths the rules have and nobody else publishes; the session publishes exactly the path it asked for.
                Assert.Contains(path, (string[])["cam1", "locked", "open/door"]);
                Assert.True(session.IsPublisher);
                Assert.Equal(path, session.StreamId.Path);
                Assert.Equal("mallory", session.Owner.Name);
                Assert.NotEqual(bystander.Id, session.Id);
                created++;
                session.Dispose();
            }
            else
            {
                Assert.True(result.Outcome is WhipOutcome.BadPath or WhipOutcome.NoSuchPath or WhipOutcome.PathBusy
                    or WhipOutcome.MalformedOffer or WhipOutcome.NothingPublishable, $"{result.Outcome} for '{path}': {result.Error}");
            }

            Assert.True(_server.Streams.TryGet(cam2, out MediaStream stream));
            Assert.Same(bystander.Stream, stream);
            Assert.False(stream.IsClosed);
            Assert.Equal(WebRtcSessionState.New, bystander.State);
        }, iter: Budget.Heavy, threads: 1);

        Assert.True(created > 0, "no hostile POST created a session, so the created-session checks never ran");
    }
}
