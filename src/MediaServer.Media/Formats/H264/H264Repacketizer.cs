using System.Buffers.Binary;

namespace MediaServer.Media.Formats.H264;

/// <summary>
/// Reshapes a camera's H.264 RTP payloads for a receiver with a smaller packet size, one payload
/// at a time and without allocating (RFC 6184, packetization mode 1): payloads that fit pass
/// through untouched; larger single NAL units and FU-A fragments are cut into FU-As; larger
/// STAP-As are opened into their units. Before the first IDR slice of an access unit that did not
/// carry SPS and PPS in band, it sends them as a STAP-A, because browsers ignore
/// sprop-parameter-sets and cannot decode without them. One instance per track and receiver.
/// </summary>
public sealed class H264Repacketizer : TrackRepacketizer
{
    private const int StapA = 24;
    private const int FuA = 28;
    private const int Idr = 5;
    private const int Sps = 7;
    private const int Pps = 8;

    private readonly byte[] _scratch;
    private byte[]? _sps;
    private byte[]? _pps;
    private bool _started;
    private uint _timestamp;
    private bool _spsInAccessUnit;
    private bool _ppsInAccessUnit;
    private bool _injected;

    public H264Repacketizer(int maxPayloadSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPayloadSize, 16);
        _scratch = new byte[maxPayloadSize];
    }

    public int MaxPayloadSize => _scratch.Length;

    /// <summary>Parameter sets to put in band when the stream does not (e.g. from sprop-parameter-sets).</summary>
    public void SetParameterSets(ReadOnlySpan<byte> sps, ReadOnlySpan<byte> pps)
    {
        ParameterSetCopy.Update(ref _sps, sps);
        ParameterSetCopy.Update(ref _pps, pps);
    }

    /// <param name="payload">One RTP payload from the camera.</param>
    /// <param name="marker">Its marker bit: the last packet of an access unit.</param>
    /// <param name="timestamp">Its RTP timestamp, which tells access units apart.</param>
    /// <param name="sink">Receives the payloads to send, valid only during the call.</param>
    public override RepacketizeResult Push(ReadOnlySpan<byte> payload, bool marker, uint timestamp, IRtpPayloadSink sink)
    {
        if (payload.IsEmpty)
        {
            return RepacketizeResult.DroppedMalformed;
        }

        if (!_started || timestamp != _timestamp)
        {
            _started = true;
            _timestamp = timestamp;
            _spsInAccessUnit = _ppsInAccessUnit = _injected = false;
        }

        int type = payload[0] & 0x1F;
        RepacketizeResult result = type switch
        {
            >= 1 and <= 23 => SingleUnit(payload, marker, sink),
            StapA => Aggregation(payload, marker, sink),
            FuA => Fragment(payload, marker, sink),
            _ => RepacketizeResult.DroppedUnsupported,
        };

        if (marker)
        {
            _started = false;
        }

        return result;
    }

    private RepacketizeResult SingleUnit(ReadOnlySpan<byte> unit, bool marker, IRtpPayloadSink sink)
    {
        Observe(unit);
        if ((unit[0] & 0x1F) == Idr)
        {
            InjectParameterSets(sink);
        }

        SendUnit(unit, marker, sink);
        return RepacketizeResult.Sent;
    }

    /// <summary>One whole NAL unit: as it is when it fits, else as FU-As.</summary>
    private void SendUnit(ReadOnlySpan<byte> unit, bool marker, IRtpPayloadSink sink)
    {
        if (unit.Length <= _scratch.Length)
        {
            sink.OnPayload(unit, marker);
            return;
        }

        FragmentWriter.Write([(byte)((unit[0] & 0xE0) | FuA)], (byte)(unit[0] & 0x1F), unit[1..], true, true, marker, _scratch, sink);
    }

    private RepacketizeResult Aggregation(ReadOnlySpan<byte> payload, bool marker, IRtpPayloadSink sink)
    {
        ReadOnlySpan<byte> units = payload[1..];
        if (!AggregationUnitReader.IsValid(units, minimumUnitSize: 1))
        {
            return RepacketizeResult.DroppedMalformed;
        }

        bool idr = false;
        var reader = new AggregationUnitReader(units, minimumUnitSize: 1);
        while (reader.TryReadNext(out ReadOnlySpan<byte> unit))
        {
            Observe(unit);
            idr |= (unit[0] & 0x1F) == Idr;
        }

        if (idr)
        {
            InjectParameterSets(sink);
        }

        if (payload.Length <= _scratch.Length)
        {
            sink.OnPayload(payload, marker);
            return RepacketizeResult.Sent;
        }

        // Too big as a whole: send its units one by one, the marker on the last.
        reader = new AggregationUnitReader(units, minimumUnitSize: 1);
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
        if (payload.Length < 3)
        {
            return RepacketizeResult.DroppedMalformed;
        }

        byte header = payload[1];
        bool start = (header & 0x80) != 0;
        bool end = (header & 0x40) != 0;
        if (start && (header & 0x1F) == Idr)
        {
            InjectParameterSets(sink);
        }

        if (payload.Length <= _scratch.Length)
        {
            sink.OnPayload(payload, marker);
        }
        else
        {
            FragmentWriter.Write(payload[..1], (byte)(header & 0x1F), payload[2..], start, end, marker, _scratch, sink);
        }

        return RepacketizeResult.Sent;
    }

    private void Observe(ReadOnlySpan<byte> unit)
    {
        switch (unit[0] & 0x1F)
        {
            case Sps:
                ParameterSetCopy.Update(ref _sps, unit);
                _spsInAccessUnit = true;
                break;
            case Pps:
                ParameterSetCopy.Update(ref _pps, unit);
                _ppsInAccessUnit = true;
                break;
        }
    }

    private void InjectParameterSets(IRtpPayloadSink sink)
    {
        if (_injected || (_spsInAccessUnit && _ppsInAccessUnit) || _sps is null || _pps is null)
        {
            return;
        }

        _injected = true;
        int stapLength = 1 + 2 + _sps.Length + 2 + _pps.Length;
        if (stapLength > _scratch.Length)
        {
            // Too big to aggregate: each goes alone, cut into FU-As if it alone is too big, since
            // a payload over the packet size is dropped by egress and the browser then has none.
            SendUnit(_sps, false, sink);
            SendUnit(_pps, false, sink);
            return;
        }

        Span<byte> stap = _scratch;
        stap[0] = (byte)(Math.Max(_sps[0] & 0x60, _pps[0] & 0x60) | StapA);
        BinaryPrimitives.WriteUInt16BigEndian(stap[1..], (ushort)_sps.Length);
        _sps.CopyTo(stap[3..]);
        int offset = 3 + _sps.Length;
        BinaryPrimitives.WriteUInt16BigEndian(stap[offset..], (ushort)_pps.Length);
        _pps.CopyTo(stap[(offset + 2)..]);
        sink.OnPayload(stap[..stapLength], false);
    }
}
