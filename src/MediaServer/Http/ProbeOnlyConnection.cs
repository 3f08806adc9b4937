namespace MediaServer.Http;

/// <summary>
/// Connection feature of an HTTP connection admitted past its address's limit: it may carry a
/// health probe and nothing else (<see cref="ProbeOnlyRequests"/>).
/// </summary>
internal sealed class ProbeOnlyConnection
{
    public static ProbeOnlyConnection Instance { get; } = new();

    private ProbeOnlyConnection()
    {
    }
}
