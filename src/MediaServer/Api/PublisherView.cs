namespace MediaServer.Api;

/// <summary>Who publishes a path: protocol, client address, session and since when.</summary>
internal sealed record PublisherView(string Protocol, string? RemoteAddress, string SessionId, DateTimeOffset Since);
