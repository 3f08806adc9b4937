namespace MediaServer.Core.Access;

public enum AccessDecision
{
    Allowed,
    NoSuchPath,
    Forbidden,
}
