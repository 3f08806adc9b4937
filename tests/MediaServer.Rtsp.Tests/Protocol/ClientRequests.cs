using System.Text;

namespace MediaServer.Rtsp.Tests.Protocol;

/// <summary>
/// Requests in the shapes real clients send them: libavformat's rtsp.c (ffmpeg publishing with
/// -rtsp_transport tcp, and pulling over UDP) and live555 (VLC). Header order and values follow
/// what those clients write, so the parser is tested against what it will actually see.
/// </summary>
internal static class ClientRequests
{
    public const string FfmpegUserAgent = "Lavf61.7.100";
    public const string VlcUserAgent = "LibVLC/3.0.21 (LIVE555 Streaming Media v2016.11.28)";

    /// <summary>The SDP ffmpeg announces for an H.264 + AAC publish (CRLF lines, as ffmpeg writes them).</summary>
    public static readonly string FfmpegSdp = string.Join("\r\n",
        "v=0",
        "o=- 0 0 IN IP4 127.0.0.1",
        "s=No Name",
        "c=IN IP4 127.0.0.1",
        "t=0 0",
        "a=tool:libavformat 61.7.100",
        "m=video 0 RTP/AVP 96",
        "a=rtpmap:96 H264/90000",
        "a=fmtp:96 packetization-mode=1; sprop-parameter-sets=Z2QAH6zZQFAFuhAAAAMAEAAAAwPI8YMZYA==,aOvjyyLA; profile-level-id=64001F",
        "a=control:streamid=0",
        "m=audio 0 RTP/AVP 97",
        "b=AS:128",
        "a=rtpmap:97 MPEG4-GENERIC/48000/2",
        "a=fmtp:97 profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3; config=119056E500",
        "a=control:streamid=1",
        string.Empty);

    public static string FfmpegOptions(int cseq) =>
        $"OPTIONS rtsp://127.0.0.1:8554/cam1 RTSP/1.0\r\nCSeq: {cseq}\r\nUser-Agent: {FfmpegUserAgent}\r\n\r\n";

    public static string FfmpegAnnounce(int cseq) =>
        "ANNOUNCE rtsp://127.0.0.1:8554/cam1 RTSP/1.0\r\n"
        + "Content-Type: application/sdp\r\n"
        + $"CSeq: {cseq}\r\n"
        + $"User-Agent: {FfmpegUserAgent}\r\n"
        + $"Content-Length: {Encoding.UTF8.GetByteCount(FfmpegSdp)}\r\n"
        + "\r\n"
        + FfmpegSdp;

    public static string FfmpegSetupTcpRecord(int cseq, int track, string? session) =>
        $"SETUP rtsp://127.0.0.1:8554/cam1/streamid={track} RTSP/1.0\r\n"
        + $"Transport: RTP/AVP/TCP;unicast;interleaved={track * 2}-{(track * 2) + 1};mode=record\r\n"
        + $"CSeq: {cseq}\r\n"
        + $"User-Agent: {FfmpegUserAgent}\r\n"
        + (session is null ? string.Empty : $"Session: {session}\r\n")
        + "\r\n";

    public static string FfmpegRecord(int cseq, string session) =>
        "RECORD rtsp://127.0.0.1:8554/cam1 RTSP/1.0\r\n"
        + "Range: npt=0.000-\r\n"
        + $"CSeq: {cseq}\r\n"
        + $"User-Agent: {FfmpegUserAgent}\r\n"
        + $"Session: {session}\r\n"
        + "\r\n";

    public static string FfmpegSetupUdpPlay(int cseq) =>
        "SETUP rtsp://127.0.0.1:8554/cam1/trackID=0 RTSP/1.0\r\n"
        + "Transport: RTP/AVP/UDP;unicast;client_port=5000-5001\r\n"
        + $"CSeq: {cseq}\r\n"
        + $"User-Agent: {FfmpegUserAgent}\r\n"
        + "\r\n";

    public static string FfmpegPlay(int cseq, string session) =>
        "PLAY rtsp://127.0.0.1:8554/cam1/ RTSP/1.0\r\n"
        + "Range: npt=0.000-\r\n"
        + $"CSeq: {cseq}\r\n"
        + $"User-Agent: {FfmpegUserAgent}\r\n"
        + $"Session: {session}\r\n"
        + "\r\n";

    public static string VlcDescribe(int cseq) =>
        "DESCRIBE rtsp://192.168.1.20:8554/cam1 RTSP/1.0\r\n"
        + $"CSeq: {cseq}\r\n"
        + $"User-Agent: {VlcUserAgent}\r\n"
        + "Accept: application/sdp\r\n"
        + "\r\n";

    public static string VlcSetup(int cseq) =>
        "SETUP rtsp://192.168.1.20:8554/cam1/trackID=0 RTSP/1.0\r\n"
        + $"CSeq: {cseq}\r\n"
        + $"User-Agent: {VlcUserAgent}\r\n"
        + "Transport: RTP/AVP;unicast;client_port=53410-53411\r\n"
        + "\r\n";

    public static string VlcPlay(int cseq, string session) =>
        "PLAY rtsp://192.168.1.20:8554/cam1/ RTSP/1.0\r\n"
        + $"CSeq: {cseq}\r\n"
        + $"User-Agent: {VlcUserAgent}\r\n"
        + $"Session: {session}\r\n"
        + "Range: npt=0.000-\r\n"
        + "\r\n";

    /// <summary>A whole ffmpeg publish handshake as it arrives when the client pipelines or the network coalesces it.</summary>
    public static string FfmpegPublishHandshake() =>
        FfmpegOptions(1)
        + FfmpegAnnounce(2)
        + FfmpegSetupTcpRecord(3, 0, null)
        + FfmpegSetupTcpRecord(4, 1, "4D0E5A1C9B2F4E8A")
        + FfmpegRecord(5, "4D0E5A1C9B2F4E8A");
}
