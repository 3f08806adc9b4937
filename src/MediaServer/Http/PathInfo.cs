using System.Text.Json.Serialization;

namespace MediaServer.Http;

/// <summary>One published path as listed by <c>GET /v1/paths</c>.</summary>
internal sealed record PathInfo(string Name, string[] Tracks, int Readers, long PacketsIn, long BytesIn);

[JsonSerializable(typeof(PathInfo[]))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class PathInfoJsonContext : JsonSerializerContext;
