namespace MediaServer.Core.Net;

/// <summary>
/// One egress loop's hold on a pooled <see cref="UdpSendBatch"/>: borrowed on the burst's first
/// datagram, given back (flushed) at its end, so a loop that is not sending holds none.
/// Owned by that loop only.
/// </summary>
public sealed class BurstSendBatch(UdpSendBatchPool pool)
{
    private UdpSendBatch? _lent;

    /// <summary>The batch of the current burst.</summary>
    public UdpSendBatch Batch => _lent ??= pool.Rent();

    /// <summary>Sends the burst and gives the batch back; nothing when the burst sent nothing.</summary>
    public void Flush()
    {
        if (_lent is { } batch)
        {
            _lent = null;
            pool.Return(batch); // flushes
        }
    }
}
