using MediaServer.EndToEnd.Infrastructure;

namespace MediaServer.EndToEnd;

/// <summary>Two households' cameras at once: every player decodes only its own camera's picture.</summary>
[Trait("Category", "EndToEnd")]
public class IsolationTests
{
    [Fact]
    public async Task Each_player_sees_only_its_own_cameras_colour()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        await using Camera red = await Camera.StartAsync(host, "home1/cam", await Clips.SolidAsync("red"));
        await using Camera blue = await Camera.StartAsync(host, "home2/cam", await Clips.SolidAsync("blue"), "udp");

        // Several players per camera at once, over both transports, joining in a burst.
        var players = new List<(string Path, Task<(double R, double G, double B)> Colour)>();
        foreach (string transport in new[] { "tcp", "udp", "tcp" })
        {
            players.Add(("home1/cam", Pixels.FirstFrameColourAsync(host, "home1/cam", transport)));
            players.Add(("home2/cam", Pixels.FirstFrameColourAsync(host, "home2/cam", transport)));
        }

        foreach ((string path, Task<(double R, double G, double B)> colour) in players)
        {
            (double r, double g, double b) = await colour;
            if (path == "home1/cam")
            {
                Assert.True(r > 180 && b < 70 && g < 70, $"home1 should be red, got ({r:F0},{g:F0},{b:F0})");
            }
            else
            {
                Assert.True(b > 180 && r < 70 && g < 70, $"home2 should be blue, got ({r:F0},{g:F0},{b:F0})");
            }
        }

        Assert.Equal(0, host.IsolationViolations);
    }
}
