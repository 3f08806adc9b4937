using MediaServer.WebRtc.Srtp;

namespace MediaServer.WebRtc.Tests.Srtp;

public class SrtpReplayWindowTests
{
    [Fact]
    public void Every_new_index_passes_once_even_when_its_slot_held_an_index_1024_older()
    {
        var window = new SrtpReplayWindow();
        for (ulong index = 0; index < 3000; index++)
        {
            Assert.Equal(SrtpError.None, window.Check(index));
            window.Accept(index);
            Assert.Equal(SrtpError.Replayed, window.Check(index));
        }

        Assert.Equal(SrtpError.Replayed, window.Check(2999 - 1023));
        Assert.Equal(SrtpError.TooOld, window.Check(2999 - 1024));
    }

    [Fact]
    public void Indices_skipped_by_a_jump_stay_acceptable_and_a_jump_beyond_the_window_forgets_everything()
    {
        var window = new SrtpReplayWindow();
        window.Accept(10);
        window.Accept(500);
        Assert.Equal(SrtpError.None, window.Check(11));
        Assert.Equal(SrtpError.Replayed, window.Check(10));

        window.Accept(500 + 5000);
        Assert.Equal(SrtpError.TooOld, window.Check(500));
        Assert.Equal(SrtpError.None, window.Check(5500 - 1000));
        Assert.Equal(SrtpError.Replayed, window.Check(5500));
    }
}
