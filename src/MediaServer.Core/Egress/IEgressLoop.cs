namespace MediaServer.Core.Egress;

/// <summary>
/// An <see cref="EgressLoop{TSink}"/> as its owner sees it when the owner does not know the
/// sink's type (an egress whose transport is chosen at run time): start and stop.
/// </summary>
public interface IEgressLoop
{
    /// <summary>True once <see cref="StopAsync"/> was called.</summary>
    bool IsStopping { get; }

    void Start();

    /// <summary>Stops the loop and waits for it (at once when it never started).</summary>
    Task StopAsync();
}
