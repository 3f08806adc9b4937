using System.Buffers.Binary;

namespace MediaServer.Media.Formats;

/// <summary>
/// Remembers the latest H.264 SPS/PPS (and H.265 VPS/SPS/PPS) a publisher sent in band, so the
/// SDP readers get can carry them even when the publisher's did not. Single writer; it allocates
/// only when a parameter set actually changes.
/// </summary>
public sealed class ParameterSetTracker
{
    private byte[]? _vps;
    private byte[]? _sps;
    private byte[]? _pps;

    public byte[]? Vps => Volatile.Read(ref _vps);

    public byte[]? Sps => Volatile.Read(ref _sps);

    public byte[]? Pps => Volatile.Read(ref _pps);

    /// <summary>Incremented whenever a parameter set changes.</summary>
    public int Version { get; private set; }

    public void Observe(CodecKind codec, ReadOnlySpan<byte> payload)
    {
        if (codec == CodecKind.H264)
        {
            ObserveH264(payload);
        }
        else if (codec == CodecKind.H265)
        {
            ObserveH265(payload);
        }
    }

    private void ObserveH264(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return;
        }

        int type = payload[0] & 0x1F;
        if (type == 24)
        {
            for (int offset = 1; offset + 2 < payload.Length;)
            {
                int size = BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(offset, 2));
                offset += 2;
                if (size == 0 || offset + size > payload.Length)
                {
                    return;
                }

                StoreH264(payload.Slice(offset, size));
                offset += size;
            }
        }
        else
        {
            StoreH264(payload);
        }
    }

    private void StoreH264(ReadOnlySpan<byte> nal)
    {
        switch (nal[0] & 0x1F)
        {
            case 7:
                Store(ref _sps, nal);
                break;
            case 8:
                Store(ref _pps, nal);
                break;
        }
    }

    private void ObserveH265(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 2)
        {
            return;
        }

        int type = (payload[0] >> 1) & 0x3F;
        if (type == 48)
        {
            for (int offset = 2; offset + 2 < payload.Length;)
            {
                int size = BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(offset, 2));
                offset += 2;
                if (size < 2 || offset + size > payload.Length)
                {
                    return;
                }

                StoreH265(payload.Slice(offset, size));
                offset += size;
            }
        }
        else
        {
            StoreH265(payload);
        }
    }

    private void StoreH265(ReadOnlySpan<byte> nal)
    {
        switch ((nal[0] >> 1) & 0x3F)
        {
            case 32:
                Store(ref _vps, nal);
                break;
            case 33:
                Store(ref _sps, nal);
                break;
            case 34:
                Store(ref _pps, nal);
                break;
        }
    }

    private void Store(ref byte[]? field, ReadOnlySpan<byte> nal)
    {
        if (field is not null && nal.SequenceEqual(field))
        {
            return;
        }

        Volatile.Write(ref field, nal.ToArray());
        Version++;
    }
}
