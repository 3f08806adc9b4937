using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace MediaServer.EndToEnd.Api;

/// <summary>An HTTP client for the server's /v1 API that returns parsed JSON.</summary>
internal sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;

    public ApiClient(MediaServerHost host, AuthenticationHeaderValue? auth = null)
    {
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.HttpPort}/") };
        _http.DefaultRequestHeaders.Authorization = auth;
    }

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{password}")));

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using HttpResponseMessage response = await _http.GetAsync(path);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    public async Task<HttpStatusCode> StatusAsync(HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        using HttpResponseMessage response = await _http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>The sessions of one path, parsed, optionally of one protocol.</summary>
    public async Task<JsonElement[]> SessionsAsync(string path, string? protocol = null)
    {
        JsonElement sessions = await GetJsonAsync(protocol is null ? "v1/sessions" : $"v1/sessions?protocol={protocol}");
        return [.. sessions.EnumerateArray().Where(s => s.GetProperty("path").GetString() == path)];
    }

    public void Dispose() => _http.Dispose();
}
