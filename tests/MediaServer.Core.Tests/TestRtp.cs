using System.Buffers.Binary;
using MediaServer.Core.Access;
using MediaServer.Core.Streams;
using MediaServer.Media.Sdp;

namespace MediaServer.Core.Tests;

/// <summary>Builds RTP packets and streams for the tests.</summary>
internal static class TestRtp
{
    public const string VideoAudioSdp =
        "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=test\r\nt=0 0\r\n" +
        "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1\r\na=control:streamid=0\r\n" +
        "m=audio 0 RTP/AVP 97\r\na=rtpmap:97 opus/48000/2\r\na=control:streamid=1\r\n";

    public const string AudioOnlySdp =
        "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=test\r\nt=0 0\r\n" +
        "m=audio 0 RTP/AVP 0\r\na=control:streamid=0\r\n";

    public static SessionDescription Sdp(string text = VideoAudioSdp)
    {
        Assert.True(SessionDescription.TryParse(text, out SessionDescription? sd, out string? error), error);
        return sd!;
    }

    public static StreamId Id(string path)
    {
        Assert.True(StreamId.TryCreate(path, out StreamId id));
        return id;
    }

    public static StreamGrant Grant(StreamId id, StreamAction action)
    {
        var authorizer = new StreamAuthorizer([new PathOptions { Name = "~^.+$" }]);
        Assert.Equal(AccessDecision.Allowed, authorizer.Authorize(id, action, out StreamGrant grant));
        return grant;
    }

    public static MediaStream Stream(string path, StreamOptions? options = null, string sdp = VideoAudioSdp) =>
        new(Id(path), Sdp(sdp), options ?? new StreamOptions());

    /// <summary>An RTP packet; the payload starts with the NAL header byte and ends with a tag.</summary>
    public static byte[] Packet(ushort seq, uint timestamp, byte nalHeader, byte tag = 0, bool marker = true, byte payloadType = 96, int extra = 8)
    {
        byte[] packet = new byte[12 + 1 + extra + 1];
        packet[0] = 0x80;
        packet[1] = (byte)((marker ? 0x80 : 0) | payloadType);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), seq);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 0x11223344);
        packet[12] = nalHeader;
        packet[^1] = tag;
        return packet;
    }

    public const byte Sps = 0x67;
    public const byte Pps = 0x68;
    public const byte Idr = 0x65;
    public const byte NonIdr = 0x41;
}
