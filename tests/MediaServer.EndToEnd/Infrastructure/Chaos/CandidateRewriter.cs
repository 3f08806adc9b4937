using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace MediaServer.EndToEnd.Infrastructure.Chaos;

/// <summary>
/// Sends a WHEP client's media through a relay without changing the client: the port of every
/// host candidate in the SDP answer becomes the relay's, so ICE, DTLS and SRTP all cross it.
/// </summary>
internal sealed partial class CandidateRewriter(int relayPort) : DelegatingHandler(new HttpClientHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
        if (request.Method != HttpMethod.Post || response.Content.Headers.ContentType?.MediaType != "application/sdp")
        {
            return response;
        }

        string answer = await response.Content.ReadAsStringAsync(cancellationToken);
        var content = new StringContent(HostCandidate().Replace(answer, $"${{1}}{relayPort}${{2}}"), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/sdp");
        response.Content = content;
        return response;
    }

    [GeneratedRegex(@"(a=candidate:\S+ 1 udp \d+ \S+ )\d+( typ host)")]
    private static partial Regex HostCandidate();
}
