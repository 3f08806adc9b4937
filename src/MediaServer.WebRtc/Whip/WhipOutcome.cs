namespace MediaServer.WebRtc.Whip;

/// <summary>How a WHIP request ended, one value per HTTP status the endpoint may answer.</summary>
public enum WhipOutcome
{
    Created,
    BadPath,
    NoSuchPath,
    Unauthorized,
    Forbidden,

    /// <summary>Someone publishes the path and it does not allow a new publisher to replace them (409).</summary>
    PathBusy,

    /// <summary>The path's source is a camera the server pulls, not a publisher (409).</summary>
    NotPublisherPath,
    MalformedOffer,

    /// <summary>No m-section of the offer sends a codec the server can publish (400).</summary>
    NothingPublishable,

    /// <summary>A WebRTC session limit, or Streams:MaxPublishers (503).</summary>
    TooManySessions,
    ShuttingDown,
}
