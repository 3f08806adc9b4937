namespace MediaServer.Media.Formats;

/// <summary>RTP payload formats the server recognises by their encoding name.</summary>
public enum CodecKind
{
    Unknown,
    H264,
    H265,
    Aac,
    Opus,
    Pcmu,
    Pcma,
    Vp8,
    Vp9,
    Av1,
    G722,
    L16,
    Mpeg4Audio,
    Mpa,
}
