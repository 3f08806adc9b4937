using System.Net.Sockets;

namespace MediaServer.Core.Net;

/// <summary>
/// Send batches for one UDP socket, lent to an egress loop for one burst and given back after its
/// flush. A batch is ~100 KB of pinned memory; lending it per burst makes their number follow the
/// loops sending at the same moment (about the thread count) instead of the reader count, so an
/// idle reader costs none. Lock-free like the packet pool: slots taken and filled with
/// <see cref="Interlocked.Exchange{T}(ref T, T)"/>; a batch made when all are lent is kept afterwards
/// if a slot is free, else left to the garbage collector.
/// </summary>
public sealed class UdpSendBatchPool
{
    private readonly Socket _socket;
    private readonly int _maxDatagramLength;
    private readonly UdpSendBatch?[] _slots;
    private long _created;

    public UdpSendBatchPool(Socket socket, int maxDatagramLength, int size = 32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _socket = socket;
        _maxDatagramLength = maxDatagramLength;
        _slots = new UdpSendBatch?[size];
    }

    /// <summary>Batches made so far: flat once the pool has as many as loops send at once.</summary>
    public long Created => Interlocked.Read(ref _created);

    public int MaxDatagramLength => _maxDatagramLength;

    public UdpSendBatch Rent()
    {
        UdpSendBatch?[] slots = _slots;
        for (int i = 0; i < slots.Length; i++)
        {
            if (Volatile.Read(ref slots[i]) is not null && Interlocked.Exchange(ref slots[i], null) is { } batch)
            {
                return batch;
            }
        }

        Interlocked.Increment(ref _created);
        return new UdpSendBatch(_socket, _maxDatagramLength);
    }

    /// <summary>Takes back a flushed batch (one with datagrams still queued is flushed first).</summary>
    public void Return(UdpSendBatch batch)
    {
        batch.Flush();
        UdpSendBatch?[] slots = _slots;
        for (int i = 0; i < slots.Length; i++)
        {
            if (Volatile.Read(ref slots[i]) is null && Interlocked.CompareExchange(ref slots[i], batch, null) is null)
            {
                return;
            }
        }
    }
}
