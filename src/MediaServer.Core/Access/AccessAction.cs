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

    /// <summary>Reading and changing path rules and users through /v1/config (sees every user's name and permissions).</summary>
    Config,
}
