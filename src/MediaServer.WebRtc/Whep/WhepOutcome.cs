namespace MediaServer.WebRtc.Whep;

/// <summary>How a WHEP request ended, one value per HTTP status the endpoint may answer.</summary>
public enum WhepOutcome
{
    Created,
    BadPath,
    NoSuchPath,
    Unauthorized,
    Forbidden,
    NotPublished,
    MalformedOffer,
    NothingPlayable,
    TooManySessions,
    ShuttingDown,
}
