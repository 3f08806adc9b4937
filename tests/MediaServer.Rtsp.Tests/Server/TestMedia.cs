using System.Buffers.Binary;

namespace MediaServer.Rtsp.Tests.Server;

internal static class TestMedia
{
    public const string H264Sdp =
        "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=cam\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
        "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n" +
        "a=fmtp:96 packetization-mode=1; sprop-parameter-sets=Z0IAKeKQFAe2AtwEBAaQeJEV,aM48gA==\r\n" +
        "a=control:streamid=0\r\n";

    public const string VideoAndAudioSdp =
        "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=cam\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
        "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n" +
        "a=fmtp:96 packetization-mode=1; sprop-parameter-sets=Z0IAKeKQFAe2AtwEBAaQeJEV,aM48gA==\r\n" +
        "a=control:streamid=0\r\n" +
        "m=audio 0 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=control:streamid=1\r\n";

    /// <summary>An H.264 RTP packet of <paramref name="payloadBytes"/> bytes: the NAL header, filler, and <paramref name="tag"/> last.</summary>
    public static byte[] Rtp(ushort seq, uint timestamp, byte nal, byte tag, bool marker = true, int payloadBytes = 10)
    {
        byte[] packet = new byte[12 + payloadBytes];
        packet[0] = 0x80;
        packet[1] = (byte)((marker ? 0x80 : 0) | 96);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), seq);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 0xCAFEBABE);
        packet[12] = nal;
        packet[^1] = tag;
        return packet;
    }

    /// <summary>ANNOUNCE, SETUP (TCP interleaved 0-1) and RECORD on <paramref name="path"/>.</summary>
    public static Task<RawRtspClient> PublishAsync(MediaServerHost host, string path, string? auth = null) =>
        PublishAsync(host.RtspPort, path, auth);

    /// <summary>ANNOUNCE, SETUP (TCP interleaved 0-1) and RECORD on <paramref name="path"/> of the RTSP server on <paramref name="rtspPort"/>.</summary>
    public static async Task<RawRtspClient> PublishAsync(int rtspPort, string path, string? auth = null)
    {
        RawRtspClient client = await RawRtspClient.ConnectAsync(rtspPort);
        string url = TestServer.Url(rtspPort, path);
        string credentials = auth is null ? string.Empty : "\r\n" + auth;
        Assert.Equal(200, (await client.RequestAsync("ANNOUNCE", url, auth, H264Sdp)).Status);
        RtspReply setup = await client.RequestAsync("SETUP", url + "/streamid=0",
            "Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record" + credentials);
        Assert.Equal(200, setup.Status);
        Assert.Equal(200, (await client.RequestAsync("RECORD", url, "Range: npt=0.000-" + credentials)).Status);
        return client;
    }

    /// <summary>One GOP's head: SPS, PPS, IDR.</summary>
    public static async Task SendKeyframeAsync(RawRtspClient publisher, ushort seq, uint timestamp, byte tag)
    {
        await publisher.SendInterleavedAsync(0, Rtp(seq, timestamp, 0x67, tag, marker: false));
        await publisher.SendInterleavedAsync(0, Rtp((ushort)(seq + 1), timestamp, 0x68, tag, marker: false));
        await publisher.SendInterleavedAsync(0, Rtp((ushort)(seq + 2), timestamp, 0x65, tag));
    }

    /// <summary>DESCRIBE, SETUP (TCP interleaved 0-1) and PLAY; returns the client and the SSRC it was given.</summary>
    public static Task<(RawRtspClient Client, uint Ssrc)> ReadAsync(MediaServerHost host, string path, int? receiveBufferSize = null) =>
        ReadAsync(host.RtspPort, path, receiveBufferSize);

    /// <summary>DESCRIBE, SETUP (TCP interleaved 0-1) and PLAY on the RTSP server on <paramref name="rtspPort"/>.</summary>
    public static async Task<(RawRtspClient Client, uint Ssrc)> ReadAsync(int rtspPort, string path, int? receiveBufferSize = null)
    {
        RawRtspClient client = await RawRtspClient.ConnectAsync(rtspPort, receiveBufferSize: receiveBufferSize);
        RtspReply describe = await client.RequestAsync("DESCRIBE", TestServer.Url(rtspPort, path), "Accept: application/sdp");
        Assert.Equal(200, describe.Status);
        RtspReply setup = await client.RequestAsync("SETUP", describe["Content-Base"] + "trackID=0",
            "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
        Assert.Equal(200, setup.Status);
        string ssrcText = setup["Transport"]!.Split(';').Single(p => p.StartsWith("ssrc=", StringComparison.Ordinal))[5..];
        Assert.Equal(200, (await client.RequestAsync("PLAY", TestServer.Url(rtspPort, path))).Status);
        return (client, Convert.ToUInt32(ssrcText, 16));
    }
}
