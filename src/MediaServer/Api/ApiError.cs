namespace MediaServer.Api;

/// <summary>The body of an API error response.</summary>
internal sealed record ApiError(string Error);
