using System.Runtime.InteropServices;

namespace MediaServer.Core.Net;

/// <summary>
/// UDP generic segmentation offload (Linux 4.18+, <c>UDP_SEGMENT</c>): a run of datagrams to the
/// same destination, all of one size but the last, leaves as one message the kernel cuts into
/// datagrams itself, so routing, socket and buffer work is done once per run instead of once per
/// datagram. A frame's RTP packets are such a run (full-size fragments, then a shorter last one).
/// The receiver sees the same datagrams as without it.
/// </summary>
public sealed partial class UdpSendBatch
{
    private const int SolUdp = 17;
    private const int UdpSegment = 103;
    private const int MaxSegments = 64; // UDP_MAX_SEGMENTS on the oldest kernels that have GSO
    private const int MaxSegmentedBytes = 65000; // one IP datagram's worth, headers aside

    // cmsghdr (size_t len, int level, int type) then a u16, padded: CMSG_SPACE(2) on LP64.
    private const int ControlLength = 24;
    private const int ControlDataLength = 18; // CMSG_LEN(2)

    private static volatile bool s_segmentation = true;

    private MultipleMessageHeader[] _runs = [];
    private byte[] _controls = [];
    private int[] _runLength = [];
    private IntPtr _runsAddress;
    private long _segmentedRuns;

    /// <summary>Runs of two or more datagrams sent as one segmented message (diagnostics and tests).</summary>
    public long SegmentedRuns => Volatile.Read(ref _segmentedRuns);

    /// <summary>Tests: turns segmentation off (or back on) for the process.</summary>
    internal static bool SegmentationEnabled
    {
        get => s_segmentation;
        set => s_segmentation = value;
    }

    /// <summary>Sends the queue as segmented runs; returns how many datagrams it dealt with (the rest go unsegmented).</summary>
    private int SendSegmented()
    {
        int runs = BuildRuns(); // first: the first call allocates the runs _runsAddress points at
        return SendMessages(_runsAddress, runs, _runLength, done: 0);
    }

    private static void OnSegmentationRefused(int error)
    {
        if (error is LinuxSocketCalls.NotSupported or LinuxSocketCalls.ProtocolOptionUnavailable or LinuxSocketCalls.InputOutput)
        {
            // This kernel or device cannot segment UDP: never try again in this process. Anything
            // else (EINVAL: a segment larger than the path's MTU, say) concerns this burst only.
            s_segmentation = false;
        }
    }

    /// <summary>Groups the queue into runs, each one sendmmsg entry; returns the run count.</summary>
    private int BuildRuns()
    {
        if (_runs.Length == 0)
        {
            // Once per batch (batches are pooled): the pinned run headers and their control messages.
            _runs = GC.AllocateArray<MultipleMessageHeader>(Capacity, pinned: true);
            _controls = GC.AllocateArray<byte>(Capacity * ControlLength, pinned: true);
            _runLength = new int[Capacity];
            _runsAddress = Marshal.UnsafeAddrOfPinnedArrayElement(_runs, 0);
        }

        int runs = 0;
        for (int start = 0; start < _count; runs++)
        {
            int segment = _lengths[start];
            int length = 1;
            int bytes = segment;
            while (start + length < _count && length < MaxSegments &&
                _lengths[start + length - 1] == segment && _lengths[start + length] <= segment &&
                bytes + _lengths[start + length] <= MaxSegmentedBytes &&
                SameDestination(start, start + length))
            {
                bytes += _lengths[start + length];
                length++;
            }

            ref MessageHeader header = ref _runs[runs].Header;
            header = _headers[start].Header; // its address, and its first iovec
            header.VectorCount = (nuint)length;
            if (length > 1)
            {
                Span<byte> control = _controls.AsSpan(runs * ControlLength, ControlLength);
                control.Clear();
                MemoryMarshal.Write(control, (ulong)ControlDataLength);
                MemoryMarshal.Write(control[8..], SolUdp);
                MemoryMarshal.Write(control[12..], UdpSegment);
                MemoryMarshal.Write(control[16..], (ushort)segment);
                header.Control = Marshal.UnsafeAddrOfPinnedArrayElement(_controls, runs * ControlLength);
                header.ControlLength = ControlLength;
            }
            else
            {
                header.Control = IntPtr.Zero;
                header.ControlLength = 0;
            }

            _runLength[runs] = length;
            start += length;
        }

        return runs;
    }

    private bool SameDestination(int a, int b)
    {
        if (ReferenceEquals(_destinations[a], _destinations[b]))
        {
            return true;
        }

        uint length = _headers[a].Header.NameLength;
        return length == _headers[b].Header.NameLength &&
            _addresses.AsSpan(a * AddressSlotLength, (int)length).SequenceEqual(_addresses.AsSpan(b * AddressSlotLength, (int)length));
    }
}
