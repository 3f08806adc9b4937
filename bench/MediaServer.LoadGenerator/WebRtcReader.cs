using MediaServer.Testing.WebRtc;

namespace MediaServer.LoadGenerator;

/// <summary>
/// A WebRTC viewer through WHEP with the in-repo client: the server does ICE, DTLS, SRTP and
/// repacketizing for it exactly as for a browser, and every packet is decrypted here.
/// </summary>
internal sealed class WebRtcReader : IReader
{
    private readonly WhepClient _client;

    private WebRtcReader(WhepClient client, ReaderCounters counters)
    {
        _client = client;
        Counters = counters;
    }

    public ReaderCounters Counters { get; }

    public long Errors => _client.AuthenticationFailures;

    public static async Task<WebRtcReader> ConnectAsync(HttpClient http, Uri httpBase, string path, ReaderCounters counters, CancellationToken cancellationToken)
    {
        WhepClient client = await WhepClient.ConnectAsync(http, new Uri(httpBase, path + "/whep"), TimeSpan.FromSeconds(20), cancellationToken);
        client.OnRtp = rtp => counters.OnRtp(rtp.Span);
        return new WebRtcReader(client, counters);
    }

    /// <summary>An empty receiver report: consent freshness, as a browser keeps it.</summary>
    public void KeepAlive() => _client.SendReceiverReport();

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
