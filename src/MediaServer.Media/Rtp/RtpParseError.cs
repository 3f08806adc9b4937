namespace MediaServer.Media.Rtp;

/// <summary>Why an RTP packet was rejected; <see cref="None"/> when it was accepted.</summary>
public enum RtpParseError
{
    None,
    TooShort,
    BadVersion,
    TruncatedCsrcList,
    TruncatedExtension,
    BadPadding,
}
