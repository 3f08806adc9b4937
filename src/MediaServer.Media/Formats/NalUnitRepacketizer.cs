using System.Buffers.Binary;

namespace MediaServer.Media.Formats;

/// <summary>
/// Reshapes a camera's H.264 or H.265 RTP payloads for a receiver with a smaller packet size, one
/// payload at a time and without allocating: payloads that fit pass through untouched; larger
/// single NAL units and fragmentation units are cut into fragmentation units; larger aggregation
/// packets are opened into their units. Before the first random access slice of an access unit
/// that did not carry its parameter sets in band, it sends them as an aggregation packet, because
/// browsers ignore the sprop parameters of the SDP and cannot decode without them.
/// </summary>
/// <typeparam name="TFormat">The codec's payload format; a struct, so its members inline.</typeparam>
public abstract class NalUnitRepacketizer<TFormat> : TrackRepacketizer
    where TFormat : struct, INalPayloadFormat
{
    private readonly byte[] _scratch;
    private readonly byte[]?[] _parameterSets = new byte[TFormat.ParameterSetCount][];
    private bool _started;
    private uint _timestamp;
    private int _inBand;
    private bool _injected;

    private protected NalUnitRepacketizer(int maxPayloadSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPayloadSize, 16);
        _scratch = new byte[maxPayloadSize];
    }

    public int MaxPayloadSize => _scratch.Length;

    private static int AllParameterSets => (1 << TFormat.ParameterSetCount) - 1;

    /// <param name="payload">One RTP payload from the camera.</param>
    /// <param name="marker">Its marker bit: the last packet of an access unit.</param>
    /// <param name="timestamp">Its RTP timestamp, which tells access units apart.</param>
    /// <param name="sink">Receives the payloads to send, valid only during the call.</param>
    public sealed override RepacketizeResult Push(ReadOnlySpan<byte> payload, bool marker, uint timestamp, IRtpPayloadSink sink)
    {
        if (payload.Length < TFormat.MinimumPayloadSize)
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

        int type = TFormat.TypeOf(payload[0]);
        RepacketizeResult result =
            type == TFormat.FragmentType ? Fragment(payload, marker, sink) :
            type == TFormat.AggregationType ? Aggregation(payload, marker, sink) :
            TFormat.IsSingleUnit(type) ? SingleUnit(payload, marker, sink) :
            RepacketizeResult.DroppedUnsupported;

        if (marker)
        {
            _started = false;
        }

        return result;
    }

    /// <summary>Parameter sets to put in band when the stream does not (e.g. from the SDP's sprop parameters).</summary>
    private protected void SetParameterSet(int index, ReadOnlySpan<byte> unit) =>
        ParameterSetCopy.Update(ref _parameterSets[index], unit);

    private RepacketizeResult SingleUnit(ReadOnlySpan<byte> unit, bool marker, IRtpPayloadSink sink)
    {
        Observe(unit);
        if (TFormat.IsRandomAccess(TFormat.TypeOf(unit[0])))
        {
            InjectParameterSets(sink);
        }

        SendUnit(unit, marker, sink);
        return RepacketizeResult.Sent;
    }

    /// <summary>One whole NAL unit: as it is when it fits, else as fragmentation units.</summary>
    private void SendUnit(ReadOnlySpan<byte> unit, bool marker, IRtpPayloadSink sink)
    {
        if (unit.Length <= _scratch.Length)
        {
            sink.OnPayload(unit, marker);
            return;
        }

        // The FU payload header is the unit's own header with the FU type in its type field; a
        // unit this long always has the second byte that H.265's two-byte header needs.
        ReadOnlySpan<byte> header = [TFormat.WithType(unit[0], TFormat.FragmentType), unit[1]];
        FragmentWriter.Write(
            header[..TFormat.HeaderSize], (byte)TFormat.TypeOf(unit[0]), unit[TFormat.HeaderSize..], true, true, marker, _scratch, sink);
    }

    private RepacketizeResult Aggregation(ReadOnlySpan<byte> payload, bool marker, IRtpPayloadSink sink)
    {
        ReadOnlySpan<byte> units = payload[TFormat.HeaderSize..];
        if (!AggregationUnitReader.IsValid(units, TFormat.HeaderSize))
        {
            return RepacketizeResult.DroppedMalformed;
        }

        bool randomAccess = false;
        var reader = new AggregationUnitReader(units, TFormat.HeaderSize);
        while (reader.TryReadNext(out ReadOnlySpan<byte> unit))
        {
            Observe(unit);
            randomAccess |= TFormat.IsRandomAccess(TFormat.TypeOf(unit[0]));
        }

        if (randomAccess)
        {
            InjectParameterSets(sink);
        }

        if (payload.Length <= _scratch.Length)
        {
            sink.OnPayload(payload, marker);
            return RepacketizeResult.Sent;
        }

        // Too big as a whole: send its units one by one, the marker on the last.
        reader = new AggregationUnitReader(units, TFormat.HeaderSize);
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
        // Payload header, FU header, and at least one byte of the fragment.
        if (payload.Length < TFormat.HeaderSize + 2)
        {
            return RepacketizeResult.DroppedMalformed;
        }

        byte header = payload[TFormat.HeaderSize];
        bool start = (header & 0x80) != 0;
        int type = TFormat.TypeOfFragmentHeader(header);
        if (start && TFormat.IsRandomAccess(type))
        {
            InjectParameterSets(sink);
        }

        if (payload.Length <= _scratch.Length)
        {
            sink.OnPayload(payload, marker);
        }
        else
        {
            FragmentWriter.Write(
                payload[..TFormat.HeaderSize], (byte)type, payload[(TFormat.HeaderSize + 1)..], start, (header & 0x40) != 0, marker, _scratch, sink);
        }

        return RepacketizeResult.Sent;
    }

    private void Observe(ReadOnlySpan<byte> unit)
    {
        int index = TFormat.ParameterSetIndex(TFormat.TypeOf(unit[0]));
        if (index >= 0)
        {
            ParameterSetCopy.Update(ref _parameterSets[index], unit);
            _inBand |= 1 << index;
        }
    }

    private void InjectParameterSets(IRtpPayloadSink sink)
    {
        if (_injected || _inBand == AllParameterSets)
        {
            return;
        }

        int length = TFormat.HeaderSize;
        foreach (byte[]? set in _parameterSets)
        {
            if (set is null)
            {
                return;
            }

            length += 2 + set.Length;
        }

        _injected = true;
        if (length > _scratch.Length)
        {
            // Too big to aggregate: each goes alone, cut into fragments if it alone is too big, since
            // a payload over the packet size is dropped by egress and the browser then has none.
            foreach (byte[]? set in _parameterSets)
            {
                SendUnit(set, false, sink);
            }

            return;
        }

        Span<byte> aggregate = _scratch;
        TFormat.WriteParameterSetAggregationHeader(aggregate, _parameterSets);
        int offset = TFormat.HeaderSize;
        foreach (byte[]? set in _parameterSets)
        {
            BinaryPrimitives.WriteUInt16BigEndian(aggregate[offset..], (ushort)set!.Length);
            set.CopyTo(aggregate[(offset + 2)..]);
            offset += 2 + set.Length;
        }

        sink.OnPayload(aggregate[..offset], false);
    }
}
