using System.Text;
using MediaServer.Fuzz.Targets;
using MediaServer.Fuzzing.Tests.Generators;
using MediaServer.Media.Sdp;

namespace MediaServer.Fuzzing.Tests.Sdp;

/// <summary>
/// Session descriptions from publishers (ANNOUNCE) and browsers: any text is a description or an
/// error with a reason, never an exception; what parses writes back to SDP that parses to the same
/// text; and a description the server builds survives the trip through text unchanged.
/// </summary>
public class SdpProperties
{
    private static readonly string[] Grammar =
    [
        "v=0\r\n", "v=0\r\n", "o=- 0 0 IN IP4 127.0.0.1\r\n", "s=cam\r\n", "t=0 0\r\n", "c=IN IP4 0.0.0.0\r\n", "\r\n", "\n", "\r", " ",
        "m=video ", "m=audio ", "9 ", "0/2 ", "RTP/AVP ", "UDP/TLS/RTP/SAVPF ", "96", " 97", "a=", "rtpmap:", "fmtp:", "96 H264/90000",
        "97 MPEG4-GENERIC/48000/2", "sizelength=13;indexlength=3", ";", "=", ":", "packetization-mode=1", "sprop-parameter-sets=Z0IAH5WoFAFuQA==,aM48gA==",
        "sprop-vps=QAEMAf//", "sprop-sps=QgEBAWA=", "sprop-pps=RAHBcrRiQA==", "sprop-max-don-diff=", "control:trackID=0", "b=AS:128\r\n",
    ];

    private static readonly List<byte[]> Seeds = SdpTarget.Target.Seeds().ToList();

    [Fact]
    public void Arbitrary_text_is_a_description_or_a_reason() =>
        Gen.String[Gen.Char, 0, 200].Sample(SdpTarget.Check, iter: Budget.Text);

    [Fact]
    public void Sdp_shaped_text_is_a_description_or_a_reason_and_what_parses_round_trips() =>
        TokenSoup.Of(60, Grammar).Sample(SdpTarget.Check, iter: Budget.Text);

    [Fact]
    public void Damaged_descriptions_are_a_description_or_a_reason_and_what_parses_round_trips() =>
        Mutations.Bytes(Seeds).Sample(bytes => SdpTarget.Check(Encoding.UTF8.GetString(bytes)), iter: Budget.Text);

    private static readonly Gen<string> Word = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-./+"], 1, 12];

    private static readonly Gen<string> Text = Gen.String[Gen.Char['!', '~'], 1, 30];

    private static readonly Gen<SdpAttribute> Attributes =
        Gen.Select(Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz-"], 1, 12], Gen.Bool, Gen.String[Gen.Char[' ', '~'], 0, 40])
            .Select((name, flag, value) => new SdpAttribute(name, flag ? null : value.TrimEnd()));

    private static readonly Gen<MediaDescription> Sections =
        Gen.Select(Gen.OneOf("video", "audio", "application"), Gen.Int[0, 65535], Gen.Int[0, 127].Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)).Array[1, 6],
                Gen.OneOf<string?>(null, "IN IP4 0.0.0.0"), Attributes.Array[0, 8], Word.Array[0, 2])
            .Select((media, port, formats, connection, attributes, bandwidths) =>
            {
                var section = new MediaDescription { Media = media, Port = port, Protocol = "RTP/AVP", Connection = connection };
                section.Formats.AddRange(formats);
                section.Attributes.AddRange(attributes);
                section.Bandwidths.AddRange(bandwidths.Select(b => "AS:" + b));
                return section;
            });

    private static readonly Gen<SessionDescription> Descriptions =
        Gen.Select(Text, Text, Attributes.Array[0, 5], Sections.Array[0, 5])
            .Select((origin, name, attributes, sections) =>
            {
                var description = new SessionDescription { Origin = origin, SessionName = name, Connection = "IN IP4 127.0.0.1" };
                description.Attributes.AddRange(attributes);
                description.Media.AddRange(sections);
                return description;
            });

    [Fact]
    public void A_description_the_server_writes_parses_back_to_the_same_description() =>
        Descriptions.Sample(description =>
        {
            string written = description.ToString();
            Assert.True(SessionDescription.TryParse(written, out SessionDescription? parsed, out string? error), error);
            Assert.Equal(description.Origin, parsed!.Origin);
            Assert.Equal(description.SessionName, parsed.SessionName);
            Assert.Equal(description.Connection, parsed.Connection);
            Assert.Equal(description.Attributes, parsed.Attributes);
            Assert.Equal(description.Media.Count, parsed.Media.Count);
            for (int i = 0; i < description.Media.Count; i++)
            {
                MediaDescription expected = description.Media[i];
                MediaDescription actual = parsed.Media[i];
                Assert.Equal((expected.Media, expected.Port, expected.Protocol, expected.Connection), (actual.Media, actual.Port, actual.Protocol, actual.Connection));
                Assert.Equal(expected.Formats, actual.Formats);
                Assert.Equal(expected.Bandwidths, actual.Bandwidths);
                Assert.Equal(expected.Attributes, actual.Attributes);
            }

            Assert.Equal(written, parsed.ToString());
        }, iter: Budget.Text);
}
