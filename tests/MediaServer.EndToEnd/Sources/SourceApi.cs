using System.Net.Http.Json;
using System.Text.Json;

namespace MediaServer.EndToEnd.Sources;

/// <summary>Reads a pulled path's source as <c>/v1/paths/{name}</c> shows it.</summary>
internal sealed class SourceApi(int httpPort) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/") };

    public SourceApi(MediaServerHost host)
        : this(host.HttpPort)
    {
    }

    /// <summary>The path's JSON, or null while the API does not know it.</summary>
    public async Task<JsonElement?> PathAsync(string path)
    {
        using HttpResponseMessage response = await _http.GetAsync($"v1/paths/{path}");
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The path's <c>source</c> object, or null.</summary>
    public async Task<JsonElement?> SourceAsync(string path) =>
        await PathAsync(path) is { } view && view.TryGetProperty("source", out JsonElement source) && source.ValueKind == JsonValueKind.Object
            ? source
            : null;

    public async Task<string?> StateAsync(string path) =>
        await SourceAsync(path) is { } source ? source.GetProperty("state").GetString() : null;

    /// <summary>
    /// Polls until the path's source is in <paramref name="state"/> and returns the source as the API
    /// showed it then (a retrying source is connecting again a moment later); fails with what the API last showed.
    /// </summary>
    public async Task<JsonElement> WaitForStateAsync(string path, string state, TimeSpan? deadline = null)
    {
        using var timeout = new CancellationTokenSource(deadline ?? TimeSpan.FromSeconds(30));
        JsonElement? last = null;
        try
        {
            while (true)
            {
                last = await SourceAsync(path);
                if (last?.GetProperty("state").GetString() == state)
                {
                    return last.Value;
                }

                await Task.Delay(100, timeout.Token);
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"{path}'s source never became {state}; the API showed {last?.ToString() ?? "nothing"}");
            throw;
        }
    }

    public async Task<string> MetricsAsync() => await _http.GetStringAsync("metrics");

    public void Dispose() => _http.Dispose();
}
