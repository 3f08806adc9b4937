using MediaServer.WebRtc;
using MediaServer.Fuzzing.Tests.Generators;
using MediaServer.Fuzz.Targets;
using MediaServer.WebRtc.Whep;

namespace MediaServer.Fuzzing.Tests.Whep;

/// <summary>WHEP resource URLs: "{path}/whep" and "{path}/whep/{id}" split back into path and id; anything else is no WHEP URL.</summary>
public class WhepPathProperties
{
    private static readonly Gen<string> Segment = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-_."], 1, 12];

    private static readonly Gen<string> Paths = Segment.Array[1, 4].Select(s => string.Join('/', s));

    private static readonly Gen<string> ResourceIds = Gen.Byte.Array[16].Select(Convert.ToHexStringLower);

    [Fact]
    public void A_stream_path_and_resource_id_split_back_out_of_their_url() =>
        Gen.Select(Paths, ResourceIds, Gen.Bool, Gen.Bool).Sample((path, id, withId, trailingSlash) =>
        {
            string url = path + "/whep" + (withId ? "/" + id : "") + (trailingSlash ? "/" : "");
            Assert.True(WebRtcResourcePath.Whep.TrySplit(url, out string streamPath, out string? resourceId));
            Assert.Equal(path, streamPath);
            Assert.Equal(withId ? id : null, resourceId);
        }, iter: Budget.Cheap);

    [Fact]
    public void Arbitrary_paths_split_into_a_prefix_and_a_slash_free_id_or_not_at_all() =>
        Gen.OneOf(Gen.String[Gen.Char, 0, 40], Gen.Select(Paths, Gen.OneOf("/whep", "/whep/", "whep", "/", "//whep//x", "/whep/a/b"), (p, s) => p + s))
            .Sample(WhepTarget.CheckPath, iter: Budget.Cheap);
}
