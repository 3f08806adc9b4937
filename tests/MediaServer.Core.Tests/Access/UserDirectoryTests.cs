using MediaServer.Core.Access;
using MediaServer.Core.Streams;

namespace MediaServer.Core.Tests.Access;

public class UserDirectoryTests
{
    private static UserOptions User(string name, string password, params (string Action, string? Path)[] permissions) => new()
    {
        Name = name,
        Password = password,
        Permissions = [.. permissions.Select(p => new PermissionOptions { Action = p.Action, Path = p.Path })],
    };

    private static UserDirectory Directory(params UserOptions[] users) => new(new AuthOptions { Users = [.. users] });

    [Fact]
    public void A_user_holds_exactly_the_permissions_configured_for_literal_and_regex_paths()
    {
        UserDirectory users = Directory(
            User("alice", "pw-a", ("read", "cam1"), ("publish", "~^alice/.+$")),
            User("ops", "pw-o", ("api", null), ("metrics", null), ("read", null)));
        Assert.True(users.TryBasic("alice", "pw-a", out Principal alice));
        Assert.True(alice.Allows(AccessAction.Read, TestRtp.Id("cam1")));
        Assert.False(alice.Allows(AccessAction.Read, TestRtp.Id("cam10")));
        Assert.True(alice.Allows(AccessAction.Publish, TestRtp.Id("alice/door")));
        Assert.False(alice.Allows(AccessAction.Publish, TestRtp.Id("bob/door")));
        Assert.False(alice.Allows(AccessAction.Publish, TestRtp.Id("cam1")));
        Assert.False(alice.Allows(AccessAction.Api));

        Assert.True(users.TryBasic("ops", "pw-o", out Principal ops));
        Assert.True(ops.Allows(AccessAction.Read, TestRtp.Id("anything/at/all")));
        Assert.True(ops.Allows(AccessAction.Metrics));
        Assert.False(ops.Allows(AccessAction.Publish, TestRtp.Id("cam1")));

        Assert.False(users.TryBasic("alice", "pw-o", out Principal wrong));
        Assert.False(wrong.IsAuthenticated);
        Assert.False(users.TryBasic("mallory", "pw-a", out _));
    }

    [Fact]
    public void Digest_gets_the_ha1_of_a_plain_password_but_nothing_for_a_basic_only_hash()
    {
        UserDirectory users = Directory(User("cam", "plain-pw", ("publish", null)), User("hashed", "sha256:AAAA", ("read", null)));
        Assert.True(users.TryGetHa1("cam", DigestAlgorithm.Md5, out string ha1, out Principal cam));
        Assert.Equal(DigestHash.Ha1(DigestAlgorithm.Md5, "cam", "MediaServer", "plain-pw"), ha1);
        Assert.Equal("cam", cam.Name);
        Assert.False(users.TryGetHa1("hashed", DigestAlgorithm.Md5, out _, out _));
        Assert.False(users.TryGetHa1("hashed", DigestAlgorithm.Sha256, out _, out _));
        Assert.False(users.TryGetHa1("nobody", DigestAlgorithm.Sha256, out _, out _));
    }

    [Fact]
    public void Without_users_everyone_may_do_everything_and_with_users_nobody_unauthenticated_may()
    {
        UserDirectory open = Directory();
        Assert.False(open.IsEnabled);
        Assert.True(open.Unauthenticated.Allows(AccessAction.Publish, TestRtp.Id("cam1")));
        Assert.True(open.Unauthenticated.Allows(AccessAction.Metrics));

        UserDirectory closed = Directory(User("a", "b", ("read", null)));
        Assert.True(closed.IsEnabled);
        Assert.False(closed.Unauthenticated.Allows(AccessAction.Read, TestRtp.Id("cam1")));
        Assert.False(closed.Unauthenticated.IsAuthenticated);
    }

    [Fact]
    public void Kick_is_a_path_scoped_action_of_its_own_and_everyone_has_it_when_auth_is_off()
    {
        UserDirectory users = Directory(
            User("guard", "pw-g", ("kick", "~^home1/"), ("read", null)),
            User("viewer", "pw-v", ("read", null), ("api", null)));
        Assert.True(users.TryBasic("guard", "pw-g", out Principal guard));
        Assert.True(guard.Allows(AccessAction.Kick, TestRtp.Id("home1/door")));
        Assert.False(guard.Allows(AccessAction.Kick, TestRtp.Id("home2/door")));
        Assert.True(users.TryBasic("viewer", "pw-v", out Principal viewer));
        Assert.False(viewer.Allows(AccessAction.Kick, TestRtp.Id("home1/door")));
        Assert.True(Directory().Unauthenticated.Allows(AccessAction.Kick, TestRtp.Id("cam1")));
    }

    [Theory]
    [InlineData("", "read", null, "empty")]
    [InlineData("a", "watch", null, "unknown action")]
    [InlineData("a", "read", "~([", "invalid path pattern")]
    public void Bad_users_are_refused_at_start_with_the_reason(string name, string action, string? path, string reason)
    {
        var e = Assert.Throws<ArgumentException>(() => Directory(User(name, "pw", (action, path))));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_user_names_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Directory(User("a", "1"), User("a", "2")));
    }

    [Fact]
    public void The_authorizer_says_unauthorized_without_credentials_and_forbidden_without_permission()
    {
        var authorizer = new StreamAuthorizer([new PathOptions { Name = "ro", Publish = false }, new PathOptions { Name = "~^.+$" }]);
        UserDirectory users = Directory(User("alice", "pw", ("read", "cam1"), ("publish", "ro")));
        Assert.True(users.TryBasic("alice", "pw", out Principal alice));

        Assert.Equal(AccessDecision.Allowed, authorizer.Authorize(TestRtp.Id("cam1"), StreamAction.Read, alice, out StreamGrant grant));
        Assert.True(grant.Allows(TestRtp.Id("cam1"), StreamAction.Read));
        Assert.Equal(AccessDecision.Forbidden, authorizer.Authorize(TestRtp.Id("cam2"), StreamAction.Read, alice, out _));
        Assert.Equal(AccessDecision.Forbidden, authorizer.Authorize(TestRtp.Id("cam1"), StreamAction.Publish, alice, out _));
        Assert.Equal(AccessDecision.Forbidden, authorizer.Authorize(TestRtp.Id("ro"), StreamAction.Publish, alice, out _));
        Assert.Equal(AccessDecision.Unauthorized, authorizer.Authorize(TestRtp.Id("cam1"), StreamAction.Read, Principal.Anonymous, out StreamGrant none));
        Assert.False(none.Allows(TestRtp.Id("cam1"), StreamAction.Read));
    }

    [Fact]
    public void Only_a_password_already_verified_is_remembered_and_a_reload_forgets_it()
    {
        UserOptions alice = User("alice", PasswordVerifier.Hash("pw-a", iterations: 1000), ("read", "cam1"));
        UserDirectory users = Directory(alice);
        Assert.False(users.TryBasicRemembered("alice", "pw-a", out _));

        Assert.True(users.TryBasic("alice", "pw-a", out _));
        Assert.True(users.TryBasicRemembered("alice", "pw-a", out Principal remembered));
        Assert.Equal("alice", remembered.Name);
        Assert.False(users.TryBasicRemembered("alice", "pw-b", out Principal wrong));
        Assert.False(wrong.IsAuthenticated);
        Assert.False(users.TryBasicRemembered("mallory", "pw-a", out _));

        users.Replace(new AuthOptions { Users = [alice] });
        Assert.False(users.TryBasicRemembered("alice", "pw-a", out _));
    }
}
