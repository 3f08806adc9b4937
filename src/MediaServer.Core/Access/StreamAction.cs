namespace MediaServer.Core.Access;

/// <summary>What a client wants to do with a stream; each is authorised separately.</summary>
public enum StreamAction
{
    Publish,
    Read,
}
