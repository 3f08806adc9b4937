using MediaServer.WebRtc.Egress;

namespace MediaServer.WebRtc.Tests.Egress;

public class KeyframeRequestPolicyTests
{
    [Fact]
    public void The_first_request_replays_even_right_after_the_join_replay()
    {
        var policy = new KeyframeRequestPolicy();
        policy.OnKeyframeSent(1000); // the cached GOP a viewer starts with

        Assert.Equal(KeyframeRequestOutcome.Replayed, policy.Decide());
    }

    [Fact]
    public void Requests_wait_while_a_replay_is_on_its_way_and_once_it_delivered_the_current_keyframe()
    {
        var policy = new KeyframeRequestPolicy();
        policy.OnKeyframeSent(1000);
        Assert.Equal(KeyframeRequestOutcome.Replayed, policy.Decide());
        Assert.Equal(KeyframeRequestOutcome.ReplayInFlight, policy.Decide());

        policy.OnKeyframeSent(1000); // the replay reached the viewer
        Assert.Equal(KeyframeRequestOutcome.KeyframeAlreadySent, policy.Decide());
        Assert.Equal(KeyframeRequestOutcome.KeyframeAlreadySent, policy.Decide());
    }

    [Fact]
    public void A_new_live_keyframe_allows_one_more_replay()
    {
        var policy = new KeyframeRequestPolicy();
        policy.OnKeyframeSent(1000);
        policy.Decide();
        policy.OnKeyframeSent(1000);

        policy.OnKeyframeSent(361000); // the camera's next keyframe, live

        Assert.Equal(KeyframeRequestOutcome.Replayed, policy.Decide());
        policy.OnKeyframeSent(361000);
        Assert.Equal(KeyframeRequestOutcome.KeyframeAlreadySent, policy.Decide());
    }

    [Fact]
    public void A_live_keyframe_that_overtakes_the_replay_answers_the_request()
    {
        var policy = new KeyframeRequestPolicy();
        policy.OnKeyframeSent(1000);
        policy.Decide();

        policy.OnKeyframeSent(361000);

        Assert.Equal(KeyframeRequestOutcome.KeyframeAlreadySent, policy.Decide());
    }
}
