namespace MediaServer.Core.Limits;

/// <summary>How <see cref="ConnectionLimiter"/> took a new connection.</summary>
public enum ConnectionAdmission
{
    /// <summary>Past a limit: close it at once.</summary>
    Refused,

    /// <summary>Within every limit: serve it.</summary>
    Full,

    /// <summary>
    /// Past its address's limit but within the total, on an HTTP listener: it may carry only a
    /// health probe, so an orchestrator sharing the address with busy clients can still ask.
    /// </summary>
    ProbeOnly,
}
