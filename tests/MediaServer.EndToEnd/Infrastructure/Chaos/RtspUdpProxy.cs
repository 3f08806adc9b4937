using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace MediaServer.EndToEnd.Infrastructure.Chaos;

/// <summary>
/// Puts a poor network under RTSP's UDP transport without touching the client or the server: an
/// RTSP (TCP) proxy that, in each SETUP, swaps the client's <c>client_port</c> for the server-side
/// ports of two <see cref="FaultyUdpRelay"/>s (RTP, RTCP) and, in the reply, the server's
/// <c>server_port</c> for their client-side ports. RTP and RTCP of both publishers (RECORD) and
/// readers (PLAY) then cross the relays both ways; the RTSP dialogue itself is passed on intact.
/// </summary>
internal sealed partial class RtspUdpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _serverPort;
    private readonly UdpFaults _faults;
    private readonly TimeSpan _lifetime;
    private readonly FaultCounters _counters;
    private readonly CancellationTokenSource _stop;
    private readonly ConcurrentDictionary<Task, byte> _connections = new();
    private readonly ConcurrentDictionary<FaultyUdpRelay, FaultyUdpRelay> _pairs = new();
    private readonly Task _accept;
    private int _seed;
    private int _liveRelays;

    public RtspUdpProxy(int serverPort, UdpFaults faults, FaultCounters counters, int seed, TimeSpan lifetime)
    {
        _serverPort = serverPort;
        _faults = faults;
        _counters = counters;
        _seed = seed;
        _lifetime = lifetime;
        _stop = new CancellationTokenSource(lifetime);
        _listener.Start();
        _accept = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public UdpFaults Faults => _faults;

    /// <summary>Relays alive now (a pair per SETUP of a connection still open): 0 once every session ended.</summary>
    public int LiveRelays => Volatile.Read(ref _liveRelays);

    /// <summary>The live relay pairs (RTP, RTCP), one per SETUP, with the path of each.</summary>
    public IReadOnlyList<(FaultyUdpRelay Rtp, FaultyUdpRelay Rtcp)> Pairs => [.. _pairs.Select(p => (p.Key, p.Value))];

    /// <summary>
    /// True while the server holds the ports of the pair whose RTP relay this is (from the SETUP's
    /// 200 until its connection ends): a claim of them that succeeded while this stayed true
    /// took ports a live session held.
    /// </summary>
    public bool Holds(FaultyUdpRelay rtp) => _pairs.ContainsKey(rtp);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accept.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await Task.WhenAll(_connections.Keys).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Task connection = RelayConnectionAsync(client);
            _connections.TryAdd(connection, 0);
            _ = connection.ContinueWith(t => _connections.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task RelayConnectionAsync(TcpClient client)
    {
        var relays = new ConcurrentBag<FaultyUdpRelay>();
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _serverPort, _stop.Token);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var pending = new ConcurrentDictionary<string, (FaultyUdpRelay Rtp, FaultyUdpRelay Rtcp)>();
                Task up = PumpAsync(client.GetStream(), server.GetStream(), m => RewriteRequest(m, pending, relays), linked.Token);
                Task down = PumpAsync(server.GetStream(), client.GetStream(), m => RewriteResponse(m, pending), linked.Token);
                await Task.WhenAny(up, down);
                Unlist(relays); // the server let the ports go with the connection
                await linked.CancelAsync();
                await Task.WhenAll(up, down).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
            {
            }
        }

        // The session's media path goes with its RTSP connection, as it does on the server.
        Unlist(relays);
        foreach (FaultyUdpRelay relay in relays)
        {
            relay.Dispose();
            Interlocked.Decrement(ref _liveRelays);
        }
    }

    private void Unlist(IEnumerable<FaultyUdpRelay> relays)
    {
        foreach (FaultyUdpRelay relay in relays)
        {
            _pairs.TryRemove(relay, out _);
        }
    }

    /// <summary>Passes items from one side to the other, rewriting text messages; ends with either side.</summary>
    private static async Task PumpAsync(NetworkStream from, NetworkStream to, Func<string, string> rewrite, CancellationToken cancellationToken)
    {
        var reader = new RtspWireReader(from);
        try
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (reader.Channel >= 0)
                {
                    // Interleaved data (not expected on a UDP session, but passed on intact).
                    byte[] header = [(byte)'$', (byte)reader.Channel, (byte)(reader.Data.Length >> 8), (byte)reader.Data.Length];
                    await to.WriteAsync(header, cancellationToken);
                    await to.WriteAsync(reader.Data, cancellationToken);
                    continue;
                }

                await to.WriteAsync(Encoding.ASCII.GetBytes(rewrite(reader.Head) + "\r\n\r\n"), cancellationToken);
                await to.WriteAsync(reader.Data, cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private string RewriteRequest(string head, ConcurrentDictionary<string, (FaultyUdpRelay Rtp, FaultyUdpRelay Rtcp)> pending,
        ConcurrentBag<FaultyUdpRelay> relays)
    {
        Match port = ClientPort().Match(head);
        if (!head.StartsWith("SETUP ", StringComparison.Ordinal) || !port.Success)
        {
            return head;
        }

        string url = head[6..head.IndexOf(' ', 6)];
        string path = new Uri(url).AbsolutePath.TrimStart('/');
        var rtp = new FaultyUdpRelay(_faults, _counters, Interlocked.Increment(ref _seed), _lifetime,
            client: new IPEndPoint(IPAddress.Loopback, int.Parse(port.Groups[1].Value))) { Path = path };
        var rtcp = new FaultyUdpRelay(_faults, _counters, Interlocked.Increment(ref _seed), _lifetime,
            client: new IPEndPoint(IPAddress.Loopback, int.Parse(port.Groups[2].Value))) { Path = path };
        relays.Add(rtp);
        relays.Add(rtcp);
        Interlocked.Add(ref _liveRelays, 2);
        pending[RtspWireReader.Header(head, "CSeq") ?? ""] = (rtp, rtcp);
        return ClientPort().Replace(head, $"client_port={rtp.ServerSidePort}-{rtcp.ServerSidePort}", 1);
    }

    private string RewriteResponse(string head, ConcurrentDictionary<string, (FaultyUdpRelay Rtp, FaultyUdpRelay Rtcp)> pending)
    {
        Match port = ServerPort().Match(head);
        if (!pending.TryRemove(RtspWireReader.Header(head, "CSeq") ?? "", out (FaultyUdpRelay Rtp, FaultyUdpRelay Rtcp) relays))
        {
            return head;
        }

        // The client must see its own ports again, and the relays' instead of the server's.
        head = ClientPort().Replace(head, $"client_port={relays.Rtp.Client!.Port}-{relays.Rtcp.Client!.Port}", 1);
        if (!port.Success)
        {
            return head;
        }

        relays.Rtp.Server = new IPEndPoint(IPAddress.Loopback, int.Parse(port.Groups[1].Value));
        relays.Rtcp.Server = new IPEndPoint(IPAddress.Loopback, int.Parse(port.Groups[2].Value));

        // Listed (for the hostile tenant to target) only once the server holds the ports for this
        // session: while the SETUP is in flight they are nobody's, and taking them is no takeover.
        _pairs[relays.Rtp] = relays.Rtcp;
        return ServerPort().Replace(head, $"server_port={relays.Rtp.ClientSidePort}-{relays.Rtcp.ClientSidePort}", 1);
    }

    [GeneratedRegex(@"client_port=(\d+)-(\d+)")]
    private static partial Regex ClientPort();

    [GeneratedRegex(@"server_port=(\d+)-(\d+)")]
    private static partial Regex ServerPort();
}
