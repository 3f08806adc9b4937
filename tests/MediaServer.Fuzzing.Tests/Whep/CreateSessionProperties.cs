using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using MediaServer.Core.Access;
using MediaServer.Core.Packets;
using MediaServer.Core.Streams;
using MediaServer.Fuzz.Targets;
using MediaServer.Fuzzing.Tests.Generators;
using MediaServer.Testing.Stun;
using MediaServer.WebRtc;
using MediaServer.WebRtc.Stun;
using MediaServer.WebRtc.Whep;

namespace MediaServer.Fuzzing.Tests.Whep;

/// <summary>
/// Hostile WHEP POSTs against a running <see cref="WebRtcServer"/>: every offer, on every path,
/// gets a typed outcome; a session is created only on a readable published path and only for that
/// path; and a viewer already watching another stream keeps its session, its credentials, its
/// answer and its ICE route through all of it.
/// </summary>
public sealed class CreateSessionProperties : IDisposable
{
    private readonly WhepServer _server = new();

    public void Dispose() => _server.Dispose();

    private static readonly Gen<string> Paths = Gen.OneOf(
        Gen.OneOf("cam1", "cam2", "locked", "open/door", "nope", "", "cam1/", "../cam2", "cam1/whep"),
        Gen.String[Gen.Char[' ', '~'], 0, 20]);

    private static readonly Gen<string> Offers = Gen.OneOf(
        Mutations.Bytes([Encoding.UTF8.GetBytes(WhepTarget.BrowserOffer())]).Select(b => Encoding.UTF8.GetString(b)),
        Gen.Const(WhepTarget.BrowserOffer()),
        Gen.String[Gen.Char, 0, 100]);

    private static readonly Principal Mallory = new("mallory", [new Permission(AccessAction.Read, null)]);

    [Fact]
    public void Hostile_offers_get_typed_outcomes_and_leave_another_viewers_session_untouched()
    {
        MediaStream cam1 = _server.Publish("cam1");
        MediaStream cam2 = _server.Publish("cam2");
        WhepResult first = _server.Server.CreateSession("cam2", WhepTarget.BrowserOffer(), new Principal("alice", [new Permission(AccessAction.Read, null)]));
        Assert.Equal(WhepOutcome.Created, first.Outcome);
        WebRtcSession bystander = first.Session!;
        var before = (bystander.Id, bystander.Credentials, bystander.Answer, bystander.State, bystander.ETag, bystander.Reader);
        int created = 0;

        Gen.Select(Paths, Offers).Sample((path, offer) =>
        {
            WhepResult result = _server.Server.CreateSession(path, offer, Mallory);
            Assert.True(Enum.IsDefined(result.Outcome));
            Assert.Equal(result.Outcome == WhepOutcome.Created, result.Session is not null);
            if (result.Session is { } session)
            {
                // Only the readable, published paths; the session reads exactly the path it asked for.
                Assert.Contains(path, (string[])["cam1", "cam2"]);
                Assert.Equal(path, session.StreamId.Path);
                Assert.Equal("mallory", session.Owner.Name);
                Assert.NotEqual(bystander.Id, session.Id);
                Assert.NotEqual(bystander.Credentials.LocalUfrag, session.Credentials.LocalUfrag);
                created++;
                session.Dispose();
            }
            else
            {
                Assert.True(result.Outcome is WhepOutcome.BadPath or WhepOutcome.NoSuchPath or WhepOutcome.Forbidden or WhepOutcome.NotPublished
                    or WhepOutcome.MalformedOffer or WhepOutcome.NothingPlayable, $"{result.Outcome}");
            }

            Assert.True(_server.Server.Sessions.TryGet(bystander.Id, out WebRtcSession? still));
            Assert.Same(bystander, still);
            Assert.Equal(1, _server.Server.Sessions.Count);
            Assert.Equal(before, (bystander.Id, bystander.Credentials, bystander.Answer, bystander.State, bystander.ETag, bystander.Reader));
            Assert.False(bystander.Reader!.IsCompleted);
        }, iter: Budget.Heavy, threads: 1);

        // The generator's unmodified offer alone makes some of these succeed; if none did, the
        // property above checked only refusals.
        Assert.True(created > 0, "no hostile POST created a session, so the created-session checks never ran");
        AssertIceStillRoutesTo(bystander);
        AssertMediaStillFlowsTo(bystander, cam2);

        // Readers of closed sessions have left their streams (an idle publisher lets them go at
        // once); only the bystander is left reading, before and after a packet.
        Assert.Equal(0, cam1.ReaderCount);
        Assert.Equal(1, cam2.ReaderCount);
        Assert.Equal(PublishResult.Published, cam1.PublishRtp(0, Idr(1)));
        Assert.Equal(0, cam1.ReaderCount);
        Assert.Equal(1, cam2.ReaderCount);
    }

    /// <summary>An IDR (NAL type 5) in one RTP packet with the marker set.</summary>
    private static byte[] Idr(ushort sequenceNumber) =>
        [0x80, 0xE0, (byte)(sequenceNumber >> 8), (byte)sequenceNumber, 0, 0, 0x0B, 0xB8, 0x11, 0x22, 0x33, 0x44, 0x65, 0x88, 0x84, 0x00];

    /// <summary>A packet published on the viewer's stream reaches the viewer's reader, stamped for that stream.</summary>
    private static void AssertMediaStillFlowsTo(WebRtcSession session, MediaStream stream)
    {
        Assert.Equal(PublishResult.Published, stream.PublishRtp(0, Idr(7)));
        Assert.True(session.Reader!.TryRead(out MediaPacket packet));
        Assert.Equal(stream.Id, packet.StampedStreamId);
        Assert.Equal(7, packet.SequenceNumber);
        packet.Release();
    }

    /// <summary>A real, signed connectivity check from the viewer's side must still be answered with a success signed by its session.</summary>
    private void AssertIceStillRoutesTo(WebRtcSession session)
    {
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        client.Client.ReceiveTimeout = 5000;
        byte[] transactionId = RandomNumberGenerator.GetBytes(12);
        byte[] username = Encoding.ASCII.GetBytes(session.Credentials.LocalUfrag + ":" + session.Credentials.RemoteUfrag);
        byte[] request = new byte[512];
        int length = StunRequestWriter.WriteBindingRequest(request, transactionId, username, session.Credentials.LocalPwdBytes, 1, 2, controlling: true, useCandidate: false);
        client.Send(request.AsSpan(0, length), new IPEndPoint(IPAddress.Loopback, _server.UdpPort));
        IPEndPoint? from = null;
        byte[] response = client.Receive(ref from);
        Assert.Equal(StunParseError.None, StunMessage.TryParse(response, out StunMessage message));
        Assert.Equal(StunMessage.BindingSuccess, message.MessageType);
        Assert.Equal(transactionId, message.TransactionId.ToArray());
        Assert.True(message.VerifyMessageIntegrity(session.Credentials.LocalPwdBytes));
    }
}
