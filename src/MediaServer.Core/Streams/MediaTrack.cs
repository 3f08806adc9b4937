using MediaServer.Media.Formats;
using MediaServer.Media.Rtcp;
using MediaServer.Media.Sdp;

namespace MediaServer.Core.Streams;

/// <summary>One media track of a stream (video or audio), as announced by its publisher.</summary>
public sealed class MediaTrack
{
    private SenderReportMapping? _senderReport;

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

    public SenderReportMapping? LatestSenderReport => Volatile.Read(ref _senderReport);

    public void OnSenderReport(SenderReportMapping mapping) => Volatile.Write(ref _senderReport, mapping);
}
