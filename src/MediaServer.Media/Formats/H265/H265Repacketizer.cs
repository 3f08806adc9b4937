using System.Buffers.Binary;
using MediaServer.Media.Formats.H264;

namespace MediaServer.Media.Formats.H265;

/// <summary>
/// The H.265 counterpart of <see cref="H264Repacketizer"/> (RFC 7798): payloads that fit pass
/// through; larger single NAL units and FUs are cut into FUs; larger APs are opened into their
/// units; VPS, SPS and PPS go in band as an AP before an IRAP picture that lacks them. Senders
/// here use sprop-max-don-diff=0, so no DONL/DOND fields appear in APs or FUs.
/// </summary>
public sealed class H265Repacketizer : TrackRepacketizer
{
    private const int Ap = 48;
    private const int Fu = 49;
    private const int Vps = 32;
    private const int Sps = 33;
    private const int Pps = 34;

    private readonly byte[] _scratch;
    private byte[]? _vps;
    private byte[]? _sps;
    private byte[]? _pps;
    private bool _started;
    private uint _timestamp;
    private int _inBand;
    private bool _injected;

    public H265Repacketizer(int maxPayloadSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPayloadSize, 16);
        _scratch = new byte[maxPayloadSize];
    }

    public void SetParameterSets(ReadOnlySpan<byte> vps, ReadOnlySpan<byte> sps, ReadOnlySpan<byte> pps)
    {
        ParameterSetCopy.Update(ref _vps, vps);
        ParameterSetCopy.Update(ref _sps, sps);
        ParameterSetCopy.Update(ref _pps, pps);
    }

    public override RepacketizeResult Push(ReadOnlySpan<byte> payload, bool marker, uint timestamp, IRtpPayloadSink sink)
    {
        if (payload.Length < 3)
        {
            return RepacketizeResult.DroppedMalformed;
        }

        if (!_started || timestamp != _timestamp)
        {
            _started = true;
            _timestamp = timestamp;
            _inBand = 0;
            _injected = false;
        }

        RepacketizeResult result = Type(payload) switch
        {
            < Ap => SingleUnit(payload, marker, sink),
            Ap => Aggregation(payload, marker, sink),
            Fu => Fragment(payload, marker, sink),
            _ => RepacketizeResult.DroppedUnsupported,
        };

        if (marker)
        {
            _started = false;
        }

        return result;
    }

    private static int Type(ReadOnlySpan<byte> unit) => (unit[0] >> 1) & 0x3F;

    private static bool IsIrap(int type) => type is >= 16 and <= 21;

    private RepacketizeResult SingleUnit(ReadOnlySpan<byte> unit, bool marker, IRtpPayloadSink sink)
    {
        Observe(unit);
        if (IsIrap(Type(unit)))
        {
            InjectParameterSets(sink);
        }

        SendUnit(unit, marker, sink);
        return RepacketizeResult.Sent;
    }

    private void SendUnit(ReadOnlySpan<byte> unit, bool marker, IRtpPayloadSink sink)
    {
        if (unit.Length <= _scratch.Length)
        {
            sink.OnPayload(unit, marker);
            return;
        }

        // FU payload header: the unit's header with its type replaced by 49 (layer id and TID kept).
        FragmentWriter.Write([(byte)((unit[0] & 0x81) | (Fu << 1)), unit[1]], (byte)Type(unit), unit[2..], true, true, marker, _scratch, sink);
    }

    private RepacketizeResult Aggregation(ReadOnlySpan<byte> payload, bool marker, IRtpPayloadSink sink)
    {
        ReadOnlySpan<byte> units = payload[2..];
        if (!AggregationUnitReader.IsValid(units, minimumUnitSize: 2))
        {
            return RepacketizeResult.DroppedMalformed;
        }

        bool irap = false;
        var reader = new AggregationUnitReader(units, minimumUnitSize: 2);
        while (reader.TryReadNext(out ReadOnlySpan<byte> unit))
        {
            Observe(unit);
            irap |= IsIrap(Type(unit));
        }

        if (irap)
        {
            InjectParameterSets(sink);
        }

        if (payload.Length <= _scratch.Length)
        {
            sink.OnPayload(payload, marker);
            return RepacketizeResult.Sent;
        }

        reader = new AggregationUnitReader(units, minimumUnitSize: 2);
        reader.TryReadNext(out ReadOnlySpan<byte> current);
        while (true)
        {
            bool more = reader.TryReadNext(out ReadOnlySpan<byte> next);
            SendUnit(current, marker && !more, sink);
            if (!more)
            {
                return RepacketizeResult.Sent;
            }

            current = next;
        }
    }

    private RepacketizeResult Fragment(ReadOnlySpan<byte> payload, bool marker, IRtpPayloadSink sink)
    {
        if (payload.Length < 4)
        {
            return RepacketizeResult.DroppedMalformed;
        }

        byte header = payload[2];
        bool start = (header & 0x80) != 0;
        if (start && IsIrap(header & 0x3F))
        {
            InjectParameterSets(sink);
        }

        if (payload.Length <= _scratch.Length)
        {
            sink.OnPayload(payload, marker);
        }
        else
        {
            FragmentWriter.Write(payload[..2], (byte)(header & 0x3F), payload[3..], start, (header & 0x40) != 0, marker, _scratch, sink);
        }

        return RepacketizeResult.Sent;
    }

    private void Observe(ReadOnlySpan<byte> unit)
    {
        switch (Type(unit))
        {
            case Vps:
                ParameterSetCopy.Update(ref _vps, unit);
                _inBand |= 1;
                break;
            case Sps:
                ParameterSetCopy.Update(ref _sps, unit);
                _inBand |= 2;
                break;
            case Pps:
                ParameterSetCopy.Update(ref _pps, unit);
                _inBand |= 4;
                break;
        }
    }

    private void InjectParameterSets(IRtpPayloadSink sink)
    {
        if (_injected || _inBand == 7 || _vps is null || _sps is null || _pps is null)
        {
            return;
        }

        _injected = true;
        int apLength = 2 + 6 + _vps.Length + _sps.Length + _pps.Length;
        if (apLength > _scratch.Length)
        {
            // Too big to aggregate: each goes alone, cut into FUs if it alone is too big, since a
            // payload over the packet size is dropped by egress and the browser then has none.
            SendUnit(_vps, false, sink);
            SendUnit(_sps, false, sink);
            SendUnit(_pps, false, sink);
            return;
        }

        Span<byte> ap = _scratch;
        ap[0] = Ap << 1;
        ap[1] = 1; // nuh_layer_id 0, nuh_temporal_id_plus1 1
        int offset = 2;
        foreach (byte[] unit in (ReadOnlySpan<byte[]>)[_vps, _sps, _pps])
        {
            BinaryPrimitives.WriteUInt16BigEndian(ap[offset..], (ushort)unit.Length);
            unit.CopyTo(ap[(offset + 2)..]);
            offset += 2 + unit.Length;
        }

        sink.OnPayload(ap[..offset], false);
    }
}
