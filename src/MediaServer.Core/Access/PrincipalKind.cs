namespace MediaServer.Core.Access;

/// <summary>Where a principal's identity comes from, which decides how it is checked again after a configuration change.</summary>
public enum PrincipalKind
{
    /// <summary>Nobody: no credentials (or no authentication configured).</summary>
    Anonymous,

    /// <summary>A user of <c>Auth:Users</c>.</summary>
    User,

    /// <summary>A bearer token; its permissions are those it carries.</summary>
    Token,
}
