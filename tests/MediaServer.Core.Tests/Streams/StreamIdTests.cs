using MediaServer.Core.Streams;

namespace MediaServer.Core.Tests.Streams;

public class StreamIdTests
{
    [Theory]
    [InlineData("cam1")]
    [InlineData("site/door-2")]
    [InlineData("a.b_c~d")]
    public void Valid_paths_make_ids(string path)
    {
        Assert.True(StreamId.TryCreate(path, out StreamId id, out string? error), error);
        Assert.Equal(path, id.Path);
        Assert.False(id.IsEmpty);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/cam1")]
    [InlineData("cam1/")]
    [InlineData("a//b")]
    [InlineData("a/../b")]
    [InlineData("..")]
    [InlineData("cam 1")]
    [InlineData("cam%31")]
    [InlineData("cam?x=1")]
    [InlineData("caméra")]
    public void Invalid_paths_are_refused(string? path)
    {
        Assert.False(StreamId.TryCreate(path, out StreamId id, out string? error));
        Assert.True(id.IsEmpty);
        Assert.NotNull(error);
    }

    [Fact]
    public void Overlong_path_is_refused() =>
        Assert.False(StreamId.TryCreate(new string('a', StreamId.MaxLength + 1), out _));

    [Fact]
    public void Ids_compare_by_exact_path()
    {
        Assert.Equal(TestRtp.Id("cam1"), TestRtp.Id("cam1"));
        Assert.NotEqual(TestRtp.Id("cam1"), TestRtp.Id("Cam1"));
        Assert.NotEqual(TestRtp.Id("cam1"), default);
    }
}
