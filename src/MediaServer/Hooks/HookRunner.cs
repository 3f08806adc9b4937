using System.Diagnostics;
using System.Net.Http.Json;
using System.Threading.Channels;
using MediaServer.Core.Streams;

namespace MediaServer.Hooks;

/// <summary>
/// Runs the configured hooks for path and reader events, off the protocol threads: events queue
/// in a bounded channel (a flood drops the oldest, logged), one loop calls the webhook in order
/// and starts commands, each command killed if it outlives <see cref="HookOptions.TimeoutSeconds"/>.
/// </summary>
internal sealed class HookRunner : BackgroundService
{
    private readonly HookOptions _options;
    private readonly StreamRegistry _streams;
    private readonly ILogger<HookRunner> _logger;
    private readonly Channel<StreamEvent> _queue = Channel.CreateBounded<StreamEvent>(
        new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly HttpClient _http = new();

    public HookRunner(HookOptions options, StreamRegistry streams, ILogger<HookRunner> logger)
    {
        _options = options;
        _streams = streams;
        _logger = logger;
        _http.Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
        if (options.IsEnabled)
        {
            streams.Events.Raised += Enqueue;
        }
    }

    public override void Dispose()
    {
        _streams.Events.Raised -= Enqueue;
        _http.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (StreamEvent e in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await HandleAsync(e, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down: what the drain queued (publishers leaving) is still told, briefly.
            using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(Math.Min(5, _options.TimeoutSeconds)));
            while (!budget.IsCancellationRequested && _queue.Reader.TryRead(out StreamEvent e))
            {
                await HandleAsync(e, budget.Token);
            }
        }
    }

    private async Task HandleAsync(StreamEvent e, CancellationToken cancellationToken)
    {
        string command = _options.CommandFor(e.Kind);
        if (command.Length > 0)
        {
            _ = RunCommandAsync(command, e);
        }

        if (_options.WebhookUrl.Length > 0)
        {
            await CallWebhookAsync(e, cancellationToken);
        }
    }

    private void Enqueue(StreamEvent e)
    {
        if (!_queue.Writer.TryWrite(e))
        {
            _logger.LogWarning("Hook queue full: dropped {Event} of {Path}", e.Kind, e.Path.Path);
        }
    }

    private async Task CallWebhookAsync(StreamEvent e, CancellationToken cancellationToken)
    {
        var body = new WebhookEvent(Name(e.Kind), e.Path.Path, e.SessionId, e.Protocol, e.At);
        try
        {
            using HttpResponseMessage response = await _http.PostAsJsonAsync(_options.WebhookUrl, body, WebhookJsonContext.Default.WebhookEvent, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                _logger.LogWarning("Webhook for {Event} of {Path} answered {Status}", body.Event, body.Path, (int)response.StatusCode);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            _logger.LogWarning("Webhook for {Event} of {Path} failed: {Error}", body.Event, body.Path, ex.Message);
        }
    }

    private async Task RunCommandAsync(string command, StreamEvent e)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        info.Environment["MEDIASERVER_EVENT"] = Name(e.Kind);
        info.Environment["MEDIASERVER_PATH"] = e.Path.Path;
        info.Environment["MEDIASERVER_SESSION_ID"] = e.SessionId;
        info.Environment["MEDIASERVER_PROTOCOL"] = e.Protocol;
        try
        {
            using Process process = Process.Start(info) ?? throw new InvalidOperationException("no process");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(_options.TimeoutSeconds));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
                if (process.ExitCode != 0)
                {
                    _logger.LogWarning("Hook for {Event} of {Path} exited with {Code}", info.Environment["MEDIASERVER_EVENT"], e.Path.Path, process.ExitCode);
                }
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                _logger.LogWarning("Hook for {Event} of {Path} killed after {Seconds} s", info.Environment["MEDIASERVER_EVENT"], e.Path.Path, _options.TimeoutSeconds);
            }
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            _logger.LogWarning("Hook for {Path} could not start: {Error}", e.Path.Path, ex.Message);
        }
    }

    private static string Name(StreamEventKind kind) => kind switch
    {
        StreamEventKind.Ready => "ready",
        StreamEventKind.NotReady => "not_ready",
        StreamEventKind.Read => "read",
        _ => "unread",
    };
}
