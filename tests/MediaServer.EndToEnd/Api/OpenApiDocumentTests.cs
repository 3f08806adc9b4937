using System.Text.Json;
using MediaServer.EndToEnd.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MediaServer.EndToEnd.Api;

/// <summary>/v1/openapi.json is valid OpenAPI 3 JSON and describes every route mapped under /v1.</summary>
[Trait("Category", "EndToEnd")]
public class OpenApiDocumentTests
{
    [Fact]
    public async Task Api_openapi_document_lists_every_mapped_v1_route_and_method()
    {
        await using MediaServerHost host = await TestHost.StartAsync();
        using var api = new ApiClient(host);
        JsonElement document = await api.GetJsonAsync("v1/openapi.json");
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        JsonElement paths = document.GetProperty("paths");

        var mapped = new List<(string Path, string Method)>();
        foreach (RouteEndpoint endpoint in host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            string route = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            if (!route.StartsWith("/v1/", StringComparison.Ordinal))
            {
                continue;
            }

            // Catch-all parameters ({**name}) are plain {name} in OpenAPI.
            route = route.Replace("{**", "{", StringComparison.Ordinal);
            foreach (string method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            {
                mapped.Add((route, method.ToLowerInvariant()));
            }
        }

        Assert.Contains(("/v1/sessions/{id}", "delete"), mapped);
        Assert.True(mapped.Count >= 6, "fewer /v1 routes than expected: " + string.Join(", ", mapped));
        foreach ((string route, string method) in mapped)
        {
            Assert.True(paths.TryGetProperty(route, out JsonElement item), $"{route} is mapped but not in openapi.json");
            Assert.True(item.TryGetProperty(method, out JsonElement operation), $"{method.ToUpperInvariant()} {route} is mapped but not in openapi.json");
            Assert.True(operation.TryGetProperty("responses", out _), $"{method} {route} has no responses");
        }

        // And the other way round: the document promises nothing the server does not serve.
        foreach (JsonProperty documented in paths.EnumerateObject())
        {
            foreach (JsonProperty operation in documented.Value.EnumerateObject().Where(o => o.Name != "parameters"))
            {
                Assert.Contains((documented.Name, operation.Name), mapped);
            }
        }

        // Every $ref points at something in the document.
        foreach (string reference in References(document))
        {
            JsonElement target = document;
            foreach (string part in reference.TrimStart('#', '/').Split('/'))
            {
                Assert.True(target.TryGetProperty(part, out target), $"dangling $ref {reference}");
            }
        }
    }

    private static IEnumerable<string> References(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty property in element.EnumerateObject())
            {
                if (property.Name == "$ref")
                {
                    yield return property.Value.GetString()!;
                }

                foreach (string nested in References(property.Value))
                {
                    yield return nested;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement item in element.EnumerateArray())
            {
                foreach (string nested in References(item))
                {
                    yield return nested;
                }
            }
        }
    }
}
