namespace MediaServer.Core.Access;

/// <summary>What a principal may be allowed to do: per path for streams, server-wide for the rest.</summary>
public enum AccessAction
{
    Publish,
    Read,

    /// <summary>The REST API under /v1.</summary>
    Api,

    /// <summary>GET /metrics.</summary>
    Metrics,

    /// <summary>Ending another client's session through DELETE /v1/sessions/{id}; per path, like publish and read.</summary>
    Kick,

    /// <summary>Reading and changing path rules and users through /v1/config (sees every user's name and permissions).</summary>
    Config,
}
