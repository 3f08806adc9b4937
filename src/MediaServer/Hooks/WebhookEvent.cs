using System.Text.Json.Serialization;

namespace MediaServer.Hooks;

/// <summary>The JSON body of a webhook call.</summary>
public sealed record WebhookEvent(
    [property: JsonPropertyName("event")] string Event,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("sessionId")] string SessionId,
    [property: JsonPropertyName("protocol")] string Protocol,
    [property: JsonPropertyName("time")] DateTimeOffset Time);

[JsonSerializable(typeof(WebhookEvent))]
internal sealed partial class WebhookJsonContext : JsonSerializerContext;
