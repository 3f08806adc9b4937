namespace MediaServer.Lifecycle;

/// <summary>Whether the server takes new work: ready once every listener runs, not ready again while it drains.</summary>
public sealed class ServerState
{
    private volatile bool _started;
    private volatile bool _draining;

    public bool IsReady => _started && !_draining;

    public bool IsDraining => _draining;

    internal void MarkStarted() => _started = true;

    internal void MarkDraining() => _draining = true;
}
