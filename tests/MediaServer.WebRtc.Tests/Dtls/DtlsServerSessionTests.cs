using System.Diagnostics;
using MediaServer.Testing.WebRtc;
using MediaServer.WebRtc.Dtls;
using Org.BouncyCastle.Tls;

namespace MediaServer.WebRtc.Tests.Dtls;

public sealed class DtlsServerSessionTests
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);
    private static readonly int[] BothProfiles = [SrtpProtectionProfileId.Aes128CmHmacSha1_80, SrtpProtectionProfileId.AeadAes128Gcm];
    private static readonly DtlsCertificate ServerCertificate = DtlsCertificate.Generate(DateTimeOffset.UtcNow);
    private static readonly DtlsCertificate ClientCertificate = DtlsCertificate.Generate(DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_handshake_exports_crosswise_matching_keys_and_prefers_GCM()
    {
        using var loopback = new DtlsLoopback();
        using var session = new DtlsServerSession(ServerCertificate, ClientCertificate.FingerprintValue, loopback.Server);
        var client = new DtlsSrtpClient(ClientCertificate, BothProfiles);

        Task<DtlsTransport> connect = loopback.ConnectAsync(client);
        DtlsSrtpKeys serverKeys = await session.AcceptAsync(HandshakeTimeout, CancellationToken.None);
        await connect;

        DtlsSrtpKeys clientKeys = client.Keys!;
        Assert.Equal(SrtpProtectionProfileId.AeadAes128Gcm, serverKeys.ProtectionProfile);
        Assert.Equal(SrtpProtectionProfileId.AeadAes128Gcm, clientKeys.ProtectionProfile);
        Assert.Equal(16, serverKeys.LocalMasterKey.Length);
        Assert.Equal(12, serverKeys.LocalMasterSalt.Length);
        Assert.Equal(clientKeys.LocalMasterKey, serverKeys.RemoteMasterKey);
        Assert.Equal(clientKeys.LocalMasterSalt, serverKeys.RemoteMasterSalt);
        Assert.Equal(clientKeys.RemoteMasterKey, serverKeys.LocalMasterKey);
        Assert.Equal(clientKeys.RemoteMasterSalt, serverKeys.LocalMasterSalt);
        Assert.NotEqual(serverKeys.LocalMasterKey, serverKeys.RemoteMasterKey);
        Assert.Same(serverKeys, session.Keys);
        Assert.Equal(ServerCertificate.Der.ToArray(), client.ServerCertificateDer);
        Assert.True(session.HandshakeTask!.IsCompleted);
    }

    [Fact]
    public async Task A_client_offering_only_SHA1_80_negotiates_it()
    {
        using var loopback = new DtlsLoopback();
        using var session = new DtlsServerSession(ServerCertificate, ClientCertificate.FingerprintValue, loopback.Server);
        var client = new DtlsSrtpClient(ClientCertificate, [SrtpProtectionProfileId.Aes128CmHmacSha1_80]);

        Task<DtlsTransport> connect = loopback.ConnectAsync(client);
        DtlsSrtpKeys serverKeys = await session.AcceptAsync(HandshakeTimeout, CancellationToken.None);
        await connect;

        Assert.Equal(SrtpProtectionProfileId.Aes128CmHmacSha1_80, serverKeys.ProtectionProfile);
        Assert.Equal(16, serverKeys.LocalMasterKey.Length);
        Assert.Equal(14, serverKeys.LocalMasterSalt.Length);
        Assert.Equal(client.Keys!.LocalMasterKey, serverKeys.RemoteMasterKey);
        Assert.Equal(client.Keys.LocalMasterSalt, serverKeys.RemoteMasterSalt);
        Assert.Equal(client.Keys.RemoteMasterKey, serverKeys.LocalMasterKey);
        Assert.Equal(client.Keys.RemoteMasterSalt, serverKeys.LocalMasterSalt);
    }

    [Fact]
    public async Task A_handshake_with_a_CBC_only_client_succeeds()
    {
        using var loopback = new DtlsLoopback();
        using var session = new DtlsServerSession(ServerCertificate, ClientCertificate.FingerprintValue, loopback.Server);
        var client = new DtlsSrtpClient(ClientCertificate, BothProfiles, [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA]);

        Task<DtlsTransport> connect = loopback.ConnectAsync(client);
        DtlsSrtpKeys serverKeys = await session.AcceptAsync(HandshakeTimeout, CancellationToken.None);
        await connect;

        Assert.Equal(client.Keys!.LocalMasterKey, serverKeys.RemoteMasterKey);
    }

    [Fact]
    public async Task A_client_certificate_not_matching_the_expected_fingerprint_fails_with_bad_certificate()
    {
        using var loopback = new DtlsLoopback();
        DtlsCertificate someoneElse = DtlsCertificate.Generate(DateTimeOffset.UtcNow);
        using var session = new DtlsServerSession(ServerCertificate, someoneElse.FingerprintValue, loopback.Server);
        var client = new DtlsSrtpClient(ClientCertificate, BothProfiles);

        Task<DtlsTransport> connect = loopback.ConnectAsync(client);
        var failure = await Assert.ThrowsAsync<DtlsHandshakeException>(() => session.AcceptAsync(HandshakeTimeout, CancellationToken.None));

        Assert.Equal(DtlsHandshakeFailure.FingerprintMismatch, failure.Reason);
        Assert.Equal(AlertDescription.bad_certificate, failure.AlertDescription);
        Assert.Null(session.Keys);
        Assert.Equal(DtlsCloseReason.HandshakeFailed, await session.Closed);

        // The client learns why: the server's fatal alert reaches it.
        var clientFailure = await Assert.ThrowsAsync<TlsFatalAlertReceived>(() => connect);
        Assert.Equal(AlertDescription.bad_certificate, clientFailure.AlertDescription);
    }

    [Fact]
    public async Task A_handshake_without_a_client_certificate_fails()
    {
        using var loopback = new DtlsLoopback();
        using var session = new DtlsServerSession(ServerCertificate, ClientCertificate.FingerprintValue, loopback.Server);
        var client = new DtlsSrtpClient(null, BothProfiles);

        Task<DtlsTransport> connect = loopback.ConnectAsync(client);
        var failure = await Assert.ThrowsAsync<DtlsHandshakeException>(() => session.AcceptAsync(HandshakeTimeout, CancellationToken.None));

        Assert.Equal(DtlsHandshakeFailure.NoClientCertificate, failure.Reason);
        await Assert.ThrowsAsync<TlsFatalAlertReceived>(() => connect);
    }

    [Fact]
    public async Task A_handshake_with_no_supported_SRTP_profile_fails()
    {
        using var loopback = new DtlsLoopback();
        using var session = new DtlsServerSession(ServerCertificate, ClientCertificate.FingerprintValue, loopback.Server);
        var client = new DtlsSrtpClient(ClientCertificate, [SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_32]);

        Task<DtlsTransport> connect = loopback.ConnectAsync(client);
        var failure = await Assert.ThrowsAsync<DtlsHandshakeException>(() => session.AcceptAsync(HandshakeTimeout, CancellationToken.None));

        Assert.Equal(DtlsHandshakeFailure.NoSrtpProfile, failure.Reason);
        await Assert.ThrowsAsync<TlsFatalAlertReceived>(() => connect);
    }

    [Fact]
    public async Task A_handshake_with_a_silent_peer_times_out_and_releases_its_thread()
    {
        using var loopback = new DtlsLoopback();
        using var session = new DtlsServerSession(ServerCertificate, ClientCertificate.FingerprintValue, loopback.Server);
        var stopwatch = Stopwatch.StartNew();

        var failure = await Assert.ThrowsAsync<DtlsHandshakeException>(() => session.AcceptAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None));

        Assert.Equal(DtlsHandshakeFailure.Timeout, failure.Reason);
        Assert.True(session.HandshakeTask!.IsCompleted);
        Assert.True(loopback.Server.IsClosed);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
        Assert.Equal(DtlsCloseReason.HandshakeFailed, await session.Closed);
    }

    [Fact]
    public async Task A_cancelled_handshake_throws_OperationCanceledException_and_releases_its_thread()
    {
        using var loopback = new DtlsLoopback();
        using var session = new DtlsServerSession(ServerCertificate, ClientCertificate.FingerprintValue, loopback.Server);
        using var cancellation = new CancellationTokenSource();

        Task<DtlsSrtpKeys> accept = session.AcceptAsync(HandshakeTimeout, cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => accept);
        Assert.True(session.HandshakeTask!.IsCompleted);
    }

    [Fact]
    public async Task Close_during_the_handshake_fails_it_as_closed()
    {
        using var loopback = new DtlsLoopback();
        using var session = new DtlsServerSession(ServerCertificate, ClientCertificate.FingerprintValue, loopback.Server);

        Task<DtlsSrtpKeys> accept = session.AcceptAsync(HandshakeTimeout, CancellationToken.None);
        session.Close();

        var failure = await Assert.ThrowsAsync<DtlsHandshakeException>(() => accept);
        Assert.Equal(DtlsHandshakeFailure.Closed, failure.Reason);
        Assert.Equal(DtlsCloseReason.LocalClose, await session.Closed);
    }

    [Fact]
    public async Task A_peers_close_notify_after_the_handshake_completes_the_session_as_closed()
    {
        using var loopback = new DtlsLoopback();
        using var session = new DtlsServerSession(ServerCertificate, ClientCertificate.FingerprintValue, loopback.Server);
        var client = new DtlsSrtpClient(ClientCertificate, BothProfiles);

        Task<DtlsTransport> connect = loopback.ConnectAsync(client);
        await session.AcceptAsync(HandshakeTimeout, CancellationToken.None);
        DtlsTransport clientDtls = await connect;
        Assert.False(session.Closed.IsCompleted);

        clientDtls.Close();

        Assert.Equal(DtlsCloseReason.PeerCloseNotify, await session.Closed.WaitAsync(HandshakeTimeout));
        Assert.True(loopback.Server.IsClosed);
    }

    [Fact]
    public async Task Application_data_after_the_handshake_is_consumed_without_ending_the_session()
    {
        using var loopback = new DtlsLoopback();
        using var session = new DtlsServerSession(ServerCertificate, ClientCertificate.FingerprintValue, loopback.Server);
        var client = new DtlsSrtpClient(ClientCertificate, BothProfiles);

        Task<DtlsTransport> connect = loopback.ConnectAsync(client);
        await session.AcceptAsync(HandshakeTimeout, CancellationToken.None);
        DtlsTransport clientDtls = await connect;

        clientDtls.Send([1, 2, 3], 0, 3);
        clientDtls.Close();

        // Records are consumed in order: the data record does not end the session, the close_notify after it does.
        Assert.Equal(DtlsCloseReason.PeerCloseNotify, await session.Closed.WaitAsync(HandshakeTimeout));
    }

    [Fact]
    public async Task Closing_after_the_handshake_sends_close_notify()
    {
        using var loopback = new DtlsLoopback();
        using var session = new DtlsServerSession(ServerCertificate, ClientCertificate.FingerprintValue, loopback.Server);
        var client = new DtlsSrtpClient(ClientCertificate, BothProfiles);

        Task<DtlsTransport> connect = loopback.ConnectAsync(client);
        await session.AcceptAsync(HandshakeTimeout, CancellationToken.None);
        DtlsTransport clientDtls = await connect;

        session.Close();

        Assert.Equal(DtlsCloseReason.LocalClose, await session.Closed);

        // BouncyCastle's client reads the close_notify and closes; its transport then reports closed.
        var buffer = new byte[1500];
        Assert.Throws<IOException>(() => clientDtls.Receive(buffer, 0, buffer.Length, 1000));
        Assert.True(client.CloseNotifyReceived);
        Assert.True(loopback.Client.IsClosed);
    }

    [Fact]
    public async Task A_lost_final_flight_is_retransmitted_after_the_servers_handshake_returned()
    {
        // The server's last flight is ChangeCipherSpec (content type 20) then Finished; lose both once.
        int toDrop = -1;
        using var loopback = new DtlsLoopback(d =>
        {
            if (d[0] == ContentType.change_cipher_spec && toDrop < 0)
            {
                toDrop = 2;
            }

            return toDrop > 0 && toDrop-- > 0;
        });
        using var session = new DtlsServerSession(ServerCertificate, ClientCertificate.FingerprintValue, loopback.Server);
        var client = new DtlsSrtpClient(ClientCertificate, BothProfiles) { ResendMillis = 50 };

        Task<DtlsTransport> connect = loopback.ConnectAsync(client);
        DtlsSrtpKeys serverKeys = await session.AcceptAsync(HandshakeTimeout, CancellationToken.None);

        // The client resends its flight; only the post-handshake drain can answer it.
        await connect.WaitAsync(HandshakeTimeout);
        Assert.Equal(0, toDrop);
        Assert.Equal(client.Keys!.LocalMasterKey, serverKeys.RemoteMasterKey);
        Assert.False(session.Closed.IsCompleted);
    }

    [Fact]
    public async Task A_second_AcceptAsync_throws()
    {
        using var loopback = new DtlsLoopback();
        using var session = new DtlsServerSession(ServerCertificate, ClientCertificate.FingerprintValue, loopback.Server);
        Task<DtlsSrtpKeys> first = session.AcceptAsync(TimeSpan.FromMilliseconds(100), CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => session.AcceptAsync(HandshakeTimeout, CancellationToken.None));
        await Assert.ThrowsAsync<DtlsHandshakeException>(() => first);
    }
}
