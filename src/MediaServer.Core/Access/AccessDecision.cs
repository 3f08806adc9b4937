namespace MediaServer.Core.Access;

public enum AccessDecision
{
    Allowed,
    NoSuchPath,
    Forbidden,

    /// <summary>Credentials are needed (none were given, or they were wrong).</summary>
    Unauthorized,
}
