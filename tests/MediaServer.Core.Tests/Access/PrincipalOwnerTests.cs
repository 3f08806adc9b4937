using MediaServer.Core.Access;

namespace MediaServer.Core.Tests.Access;

/// <summary>Ownership compares identities, never display names, which two different principals may share.</summary>
public class PrincipalOwnerTests
{
    private static readonly Permission[] Read = [new Permission(AccessAction.Read, null)];

    [Fact]
    public void A_user_named_like_a_token_subject_is_not_that_token()
    {
        var user = new Principal("jwt:x", Read);
        Principal token = Principal.ForToken("x", null, "c2lnbmF0dXJl", Read);
        Assert.Equal(user.Name, token.Name);
        Assert.False(user.IsSameOwner(token));
        Assert.False(token.IsSameOwner(user));
    }

    [Fact]
    public void Tokens_without_a_subject_are_each_their_own_owner()
    {
        Principal first = Principal.ForToken(null, null, "Zmlyc3Q", Read);
        Principal second = Principal.ForToken(null, null, "c2Vjb25k", Read);
        Assert.Equal("jwt:token", first.Name);
        Assert.False(first.IsSameOwner(second));
        Assert.True(first.IsSameOwner(Principal.ForToken(null, null, "Zmlyc3Q", Read)));
    }

    [Fact]
    public void A_token_with_an_empty_subject_is_named_and_owned_as_one_without()
    {
        Principal first = Principal.ForToken(string.Empty, "https://idp.example", "Zmlyc3Q", Read);
        Principal second = Principal.ForToken(string.Empty, "https://idp.example", "c2Vjb25k", Read);
        Assert.Equal("jwt:token", first.Name);
        Assert.False(first.IsSameOwner(second));
    }

    [Fact]
    public void Credentials_with_an_empty_user_name_are_described_as_anonymous()
    {
        Assert.StartsWith("anonymous", ClaimedUser.Describe(string.Empty), StringComparison.Ordinal);
        Assert.StartsWith("anonymous", ClaimedUser.Describe(null), StringComparison.Ordinal);
        Assert.Equal("user 'alice'", ClaimedUser.Describe("alice"));
    }

    [Fact]
    public void A_subject_is_one_owner_per_issuer_whatever_token_it_comes_in()
    {
        Principal morning = Principal.ForToken("hub-1", "https://idp.example", "bW9ybmluZw", Read);
        Principal evening = Principal.ForToken("hub-1", "https://idp.example", "ZXZlbmluZw", Read);
        Assert.True(morning.IsSameOwner(evening));
        Assert.False(morning.IsSameOwner(Principal.ForToken("hub-1", "https://other.example", "bW9ybmluZw", Read)));
        Assert.False(morning.IsSameOwner(Principal.ForToken("hub-1", null, "bW9ybmluZw", Read)));
        Assert.False(Principal.ForToken("b|c", "a", "cw", Read).IsSameOwner(Principal.ForToken("c", "a|b", "cw", Read)));
        Assert.False(Principal.ForToken("hub-1", string.Empty, "cw", Read).IsSameOwner(Principal.ForToken("hub-1", null, "cw", Read)));
    }

    [Fact]
    public void A_user_named_anonymous_is_not_the_unauthenticated_principal()
    {
        var user = new Principal("anonymous", Read);
        Assert.False(user.IsSameOwner(Principal.Anonymous));
        Assert.True(Principal.Anonymous.IsSameOwner(Principal.Everyone));
        Assert.True(user.IsSameOwner(new Principal("anonymous", [])));
    }
}
