using MediaServer.WebRtc.Dtls;
using Org.BouncyCastle.Tls;

namespace MediaServer.WebRtc.Tests.Dtls;

/// <summary>Two datagram transports wired back to back in memory: what one sends, the other receives.</summary>
internal sealed class DtlsLoopback : IDisposable
{
    /// <param name="dropServerToClient">Decides, per datagram the server sends, whether the "network" loses it.</param>
    public DtlsLoopback(Func<ReadOnlySpan<byte>, bool>? dropServerToClient = null)
    {
        DtlsDatagramTransport? client = null;
        Server = new DtlsDatagramTransport(d =>
        {
            if (dropServerToClient is null || !dropServerToClient(d))
            {
                client!.Enqueue(d);
            }
        });
        Client = new DtlsDatagramTransport(d => Server.Enqueue(d));
        client = Client;
    }

    public DtlsDatagramTransport Server { get; }

    public DtlsDatagramTransport Client { get; }

    /// <summary>Runs the client handshake on its own thread, as the server's runs on its own.</summary>
    public Task<DtlsTransport> ConnectAsync(TlsClient client) =>
        Task.Factory.StartNew(
            () => new DtlsClientProtocol().Connect(client, Client),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    public void Dispose()
    {
        Client.Close();
        Server.Close();
    }
}
