namespace MediaServer.LoadGenerator;

/// <summary>The server process ended before it answered /readyz (a bad setting, or a port taken meanwhile).</summary>
internal sealed class ServerExitedException(string message) : Exception(message);
