namespace MediaServer.Core.Access;

/// <summary>
/// The user name a request's credentials claim, as a log line names it. Credentials with an empty
/// user name (a browser's login box left blank sends <c>Basic Og==</c>) come from someone who did
/// not say who they are: anonymous, as a principal without credentials is named.
/// </summary>
public static class ClaimedUser
{
    public static string Describe(string? userName) =>
        string.IsNullOrEmpty(userName) ? Principal.Anonymous.Name + " (credentials with an empty user name)" : $"user '{userName}'";
}
