using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace MediaServer;

/// <summary>The listeners Kestrel was configured with, to read the ports they bound (0 = chosen by the OS).</summary>
internal sealed class BoundPorts
{
    public ListenOptions? Rtsp { get; set; }

    public ListenOptions? Rtsps { get; set; }

    public ListenOptions? Http { get; set; }

    public ListenOptions? Https { get; set; }

    public ListenOptions? Metrics { get; set; }

    public int Port(ListenOptions? listen) => listen?.IPEndPoint?.Port ?? 0;
}
