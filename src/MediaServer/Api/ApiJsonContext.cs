using System.Text.Json.Serialization;

namespace MediaServer.Api;

/// <summary>Source-generated JSON for the API (the host is built with CreateSlimBuilder, no reflection).</summary>
[JsonSerializable(typeof(PathView))]
[JsonSerializable(typeof(PathView[]))]
[JsonSerializable(typeof(SessionView[]))]
[JsonSerializable(typeof(SessionView))]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(MediaServer.Core.Access.PathOptions[]))]
[JsonSerializable(typeof(MediaServer.Core.Access.UserOptions[]))]
[JsonSerializable(typeof(UserView[]))]
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
