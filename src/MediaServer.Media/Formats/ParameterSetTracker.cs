using MediaServer.Media.Formats.H264;
using MediaServer.Media.Formats.H265;

namespace MediaServer.Media.Formats;

/// <summary>
/// Remembers the latest H.264 SPS/PPS (and H.265 VPS/SPS/PPS) a publisher sent in band, in single
/// NAL unit packets or aggregated (STAP-A, AP), so the SDP readers get can carry them even when
/// the publisher's did not. One writer (the ingest session); other threads may read the
/// properties, whose arrays are never changed after they are published. Allocates only when a
/// parameter set actually changes.
/// </summary>
public sealed class ParameterSetTracker
{
    private byte[]? _vps;
    private byte[]? _sps;
    private byte[]? _pps;
    private int _version;

    /// <summary>The H.265 video parameter set; always null for H.264.</summary>
    public byte[]? Vps => Volatile.Read(ref _vps);

    public byte[]? Sps => Volatile.Read(ref _sps);

    public byte[]? Pps => Volatile.Read(ref _pps);

    /// <summary>Incremented whenever a parameter set changes.</summary>
    public int Version => Volatile.Read(ref _version);

    public void Observe(CodecKind codec, ReadOnlySpan<byte> rtpPayload)
    {
        if (codec == CodecKind.H264)
        {
            ObserveH264(rtpPayload);
        }
        else if (codec == CodecKind.H265)
        {
            ObserveH265(rtpPayload);
        }
    }

    private void ObserveH264(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return;
        }

        if (H264NalUnitType.Of(payload[0]) != H264NalUnitType.StapA)
        {
            StoreH264(payload);
            return;
        }

        var units = new AggregationUnitReader(payload[1..], 1);
        while (units.TryReadNext(out ReadOnlySpan<byte> nal))
        {
            StoreH264(nal);
        }
    }

    private void StoreH264(ReadOnlySpan<byte> nal)
    {
        switch (H264NalUnitType.Of(nal[0]))
        {
            case H264NalUnitType.Sps:
                Store(ref _sps, nal);
                break;
            case H264NalUnitType.Pps:
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

        if (H265NalUnitType.Of(payload[0]) != H265NalUnitType.Ap)
        {
            StoreH265(payload);
            return;
        }

        var units = new AggregationUnitReader(payload[2..], 2);
        while (units.TryReadNext(out ReadOnlySpan<byte> nal))
        {
            StoreH265(nal);
        }
    }

    private void StoreH265(ReadOnlySpan<byte> nal)
    {
        switch (H265NalUnitType.Of(nal[0]))
        {
            case H265NalUnitType.Vps:
                Store(ref _vps, nal);
                break;
            case H265NalUnitType.Sps:
                Store(ref _sps, nal);
                break;
            case H265NalUnitType.Pps:
                Store(ref _pps, nal);
                break;
        }
    }

    private void Store(ref byte[]? field, ReadOnlySpan<byte> nal)
    {
        // Publishers repeat their parameter sets before every keyframe: compare before copying.
        if (field is not null && nal.SequenceEqual(field))
        {
            return;
        }

        Volatile.Write(ref field, nal.ToArray());
        Volatile.Write(ref _version, _version + 1);
    }
}
