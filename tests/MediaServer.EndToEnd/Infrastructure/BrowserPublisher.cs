using Microsoft.Playwright;

namespace MediaServer.EndToEnd.Infrastructure;

/// <summary>
/// A browser tab that publishes its fake camera and microphone over WHIP with a small JS client:
/// getUserMedia, sendonly transceivers (video codec chosen with setCodecPreferences), the offer
/// POSTed once ICE gathering is complete, then the answer set as the remote description.
/// </summary>
internal sealed class BrowserPublisher : IAsyncDisposable
{
    private const string Publish =
        """
        async ({ url, codec, bundlePolicy }) => {
          const media = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240, frameRate: 15 }, audio: true });
          const pc = new RTCPeerConnection({ bundlePolicy });
          for (const track of media.getTracks()) {
            const transceiver = pc.addTransceiver(track, { direction: "sendonly" });
            if (track.kind === "video" && codec) {
              const wanted = RTCRtpSender.getCapabilities("video").codecs.filter(c => c.mimeType.toLowerCase() === "video/" + codec.toLowerCase());
              if (wanted.length === 0) throw new Error("this browser cannot send " + codec);
              transceiver.setCodecPreferences(wanted);
            }
          }
          await pc.setLocalDescription(await pc.createOffer());
          await new Promise(resolve => {
            if (pc.iceGatheringState === "complete") { resolve(); return; }
            pc.addEventListener("icegatheringstatechange", () => { if (pc.iceGatheringState === "complete") resolve(); });
          });
          // max-compat gathers for every m-section; without the BUNDLE group the answer keeps them apart.
          const offer = bundlePolicy === "max-compat" ? pc.localDescription.sdp.replace(/a=group:BUNDLE[^\r\n]*\r\n/, "") : pc.localDescription.sdp;
          const response = await fetch(url, { method: "POST", headers: { "Content-Type": "application/sdp" }, body: offer });
          const answer = await response.text();
          if (response.status !== 201) throw new Error("WHIP POST got " + response.status + ": " + answer);
          await pc.setRemoteDescription({ type: "answer", sdp: answer });
          window.whip = { pc, location: response.headers.get("Location") };
          return window.whip.location;
        }
        """;

    private readonly IBrowserContext _context;

    private BrowserPublisher(IBrowserContext context, IPage page, string location)
    {
        _context = context;
        Page = page;
        Location = location;
    }

    public IPage Page { get; }

    /// <summary>The WHIP session's resource URL.</summary>
    public string Location { get; }

    /// <param name="browser">A browser launched with <c>--use-fake-device-for-media-stream --use-fake-ui-for-media-stream</c>.</param>
    /// <param name="codec">The video codec to send (<c>H264</c>, <c>VP8</c>, …); the browser's choice when null.</param>
    /// <param name="bundlePolicy">
    /// The RTCPeerConnection's bundle policy; with <c>max-compat</c> the offer is also sent without
    /// its BUNDLE group, as an offerer that does not bundle makes it: one transport per m-section.
    /// </param>
    public static async Task<BrowserPublisher> StartAsync(IBrowser browser, MediaServerHost host, string path, string? codec, string bundlePolicy = "balanced")
    {
        IBrowserContext context = await browser.NewContextAsync();
        try
        {
            IPage page = await context.NewPageAsync();
            await page.GotoAsync($"http://127.0.0.1:{host.HttpPort}/");
            string location = await page.EvaluateAsync<string>(Publish, new { url = $"/{path}/whip", codec, bundlePolicy });
            return new BrowserPublisher(context, page, location);
        }
        catch
        {
            await context.CloseAsync();
            throw;
        }
    }

    /// <summary>The publisher's connection state (<c>connected</c> once ICE and DTLS are up).</summary>
    public Task<string> ConnectionStateAsync() => Page.EvaluateAsync<string>("() => window.whip.pc.connectionState");

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
