using MediaServer.Media.Formats;
using MediaServer.Media.Rtcp;
using MediaServer.Media.Sdp;

namespace MediaServer.Core.Streams;

/// <summary>One media track of a stream (video or audio), as announced by its publisher.</summary>
public sealed class MediaTrack
{
    private const long NoSsrc = -1;

    private SenderReportMapping? _senderReport;

    // The publisher's SSRC, locked on the track's first RTP packet (invariant 7); publisher-only writes.
    private long _publisherSsrc = NoSsrc;

    private int _hasBFrames;

    // num_extra_slice_header_bits of the H.265 PPS in force, read again when the PPS changes; publisher-only.
    private int _h265ExtraBits;
    private int _h265ExtraBitsVersion = -1;

    public MediaTrack(int index, MediaDescription description)
    {
        Index = index;
        Description = description;
        Format = MediaFormat.FromMediaDescription(description);
        Control = $"trackID={index}";
    }

    public int Index { get; }

    /// <summary>The publisher's m= section; readers get a copy with our own control URL.</summary>
    public MediaDescription Description { get; }

    public MediaFormat Format { get; }

    /// <summary>Our control id for this track, appended to the stream URL in SETUP.</summary>
    public string Control { get; }

    /// <summary>Parameter sets seen in band (video only); written by the publisher only.</summary>
    public ParameterSetTracker ParameterSets { get; } = new();

    /// <summary>How the publisher's packets of this track arrive; written by the publisher only.</summary>
    public ReceptionStatistics Reception { get; } = new();

    public bool HasKeyframes => Format.Codec is CodecKind.H264 or CodecKind.H265;

    /// <summary>
    /// True once a B slice was seen on this (H.264 or H.265) track: browsers' WebRTC decoders may
    /// stutter or freeze on such streams.
    /// </summary>
    public bool HasBFrames => Volatile.Read(ref _hasBFrames) != 0;

    public SenderReportMapping? LatestSenderReport => Volatile.Read(ref _senderReport);

    public void OnSenderReport(SenderReportMapping mapping) => Volatile.Write(ref _senderReport, mapping);

    /// <summary>The SSRC this track's publisher sends with, once its first packet arrived.</summary>
    public uint? PublisherSsrc => Volatile.Read(ref _publisherSsrc) is var ssrc and >= 0 ? (uint)ssrc : null;

    /// <summary>
    /// True for RTCP about <paramref name="ssrc"/> that may describe this track's media: its
    /// publisher's SSRC, or any while no packet has locked it yet.
    /// </summary>
    public bool IsPublisherSsrc(uint ssrc) => Volatile.Read(ref _publisherSsrc) is var locked && (locked == NoSsrc || locked == ssrc);

    /// <summary>
    /// Publisher only: true when <paramref name="ssrc"/> is this track's publisher SSRC, which the
    /// first packet locks. A packet with another SSRC is not this publisher's media (a second
    /// sender at the bound address, or a spoofer) and must not enter the stream.
    /// </summary>
    internal bool AcceptSsrc(uint ssrc)
    {
        long locked = _publisherSsrc;
        if (locked == ssrc)
        {
            return true;
        }

        if (locked != NoSsrc)
        {
            return false;
        }

        Volatile.Write(ref _publisherSsrc, ssrc);
        return true;
    }

    /// <summary>
    /// Publisher only: looks at one payload for a B slice until the first is found; true exactly
    /// once, for the packet that shows the track has B-frames.
    /// </summary>
    internal bool DetectBFrames(ReadOnlySpan<byte> payload)
    {
        if (_hasBFrames != 0 || !HasKeyframes)
        {
            return false;
        }

        CodecKind codec = Format.Codec;
        if (codec == CodecKind.H265 && ParameterSets.Version != _h265ExtraBitsVersion)
        {
            _h265ExtraBitsVersion = ParameterSets.Version;
            _h265ExtraBits = ParameterSets.Pps is { } pps ? BFrameDetector.H265ExtraSliceHeaderBits(pps) : 0;
        }

        if (!BFrameDetector.ContainsBSlice(codec, payload, _h265ExtraBits))
        {
            return false;
        }

        Volatile.Write(ref _hasBFrames, 1);
        return true;
    }
}
