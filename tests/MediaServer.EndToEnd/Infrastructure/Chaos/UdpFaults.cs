namespace MediaServer.EndToEnd.Infrastructure.Chaos;

/// <summary>What a <see cref="FaultyUdpRelay"/> does to datagrams, as probabilities per datagram.</summary>
/// <param name="Loss">Dropped.</param>
/// <param name="Duplicate">Sent twice.</param>
/// <param name="Reorder">Held back and sent after the next datagram (or after a short idle).</param>
internal sealed record UdpFaults(double Loss, double Duplicate, double Reorder)
{
    public static readonly UdpFaults None = new(0, 0, 0);

    public override string ToString() => $"loss {Loss:P0}, duplication {Duplicate:P0}, reordering {Reorder:P0}";
}
