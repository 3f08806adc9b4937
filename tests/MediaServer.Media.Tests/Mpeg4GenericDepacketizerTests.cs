using MediaServer.Media.Formats;
using MediaServer.Media.Formats.Aac;
using MediaServer.Media.Sdp;

namespace MediaServer.Media.Tests;

public class Mpeg4GenericDepacketizerTests
{
    private static Mpeg4GenericDepacketizer Create(RecordingSink sink)
    {
        IReadOnlyDictionary<string, string> fmtp = FmtpParameters.Parse("mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3;config=1190");
        Assert.True(Mpeg4GenericDepacketizer.TryCreate(fmtp, sink, out Mpeg4GenericDepacketizer? d));
        return d!;
    }

    [Fact]
    public void Two_access_units_in_one_packet_rfc3640_3_3_6()
    {
        var sink = new RecordingSink();
        // AU-headers-length 32 bits; headers: size 3 / index 0, size 2 / delta 0 (13+3 bits each).
        byte[] payload = [0x00, 0x20, 0x00, 0x18, 0x00, 0x10, 0xA1, 0xA2, 0xA3, 0xB1, 0xB2];
        Assert.Equal(DepacketizeResult.Ok, Create(sink).Push(payload, 48000));
        Assert.Equal([[0xA1, 0xA2, 0xA3], [0xB1, 0xB2]], sink.Units);
        Assert.Equal([48000u, 49024u], sink.Timestamps);
    }

    [Fact]
    public void An_access_unit_longer_than_the_packet_is_refused()
    {
        var sink = new RecordingSink();
        Assert.Equal(DepacketizeResult.Unsupported, Create(sink).Push([0x00, 0x10, 0x01, 0x00, 0xA1], 0)); // 32 bytes announced
        Assert.Equal(DepacketizeResult.Malformed, Create(sink).Push([0x00, 0x40, 0x00], 0)); // headers beyond the packet
        Assert.Equal(DepacketizeResult.Malformed, Create(sink).Push([0x00, 0x00], 0));
        Assert.Empty(sink.Units);
    }

    [Fact]
    public void Fmtp_without_sizelength_is_refused() =>
        Assert.False(Mpeg4GenericDepacketizer.TryCreate(FmtpParameters.Parse("mode=AAC-hbr"), new RecordingSink(), out _));
}
