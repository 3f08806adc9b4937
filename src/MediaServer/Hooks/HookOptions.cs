namespace MediaServer.Hooks;

/// <summary>
/// Configuration section <c>Hooks</c>, as MediaMTX users know them: a shell command run when a path
/// becomes ready or not ready and when a reader starts or stops, and an HTTP webhook told of the
/// same events. Commands get <c>MEDIASERVER_EVENT</c>, <c>MEDIASERVER_PATH</c>,
/// <c>MEDIASERVER_SESSION_ID</c> and <c>MEDIASERVER_PROTOCOL</c> in their environment.
/// </summary>
public sealed class HookOptions
{
    public string RunOnReady { get; set; } = string.Empty;

    public string RunOnNotReady { get; set; } = string.Empty;

    public string RunOnRead { get; set; } = string.Empty;

    public string RunOnUnread { get; set; } = string.Empty;

    /// <summary>An http(s) URL that gets a JSON POST per event; empty for none.</summary>
    public string WebhookUrl { get; set; } = string.Empty;

    /// <summary>Seconds a command or a webhook call may take before it is given up (the command killed).</summary>
    public int TimeoutSeconds { get; set; } = 10;

    public string CommandFor(Core.Streams.StreamEventKind kind) => kind switch
    {
        Core.Streams.StreamEventKind.Ready => RunOnReady,
        Core.Streams.StreamEventKind.NotReady => RunOnNotReady,
        Core.Streams.StreamEventKind.Read => RunOnRead,
        _ => RunOnUnread,
    };

    public bool IsEnabled => RunOnReady.Length + RunOnNotReady.Length + RunOnRead.Length + RunOnUnread.Length + WebhookUrl.Length > 0;
}
