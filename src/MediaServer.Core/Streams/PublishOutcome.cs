namespace MediaServer.Core.Streams;

public enum PublishOutcome
{
    Published,

    /// <summary>Published, and the previous publisher of the path was closed.</summary>
    ReplacedPrevious,

    /// <summary>Someone already publishes the path and it does not allow overriding.</summary>
    PathBusy,

    NotAuthorized,

    /// <summary>As many paths as <see cref="StreamOptions.MaxPublishers"/> are published already.</summary>
    TooManyPublishers,

    /// <summary>The path pulls a camera (<c>Paths:N:Source</c>): clients cannot publish it.</summary>
    PathHasSource,
}
