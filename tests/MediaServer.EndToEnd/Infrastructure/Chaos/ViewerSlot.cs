namespace MediaServer.EndToEnd.Infrastructure.Chaos;

/// <summary>
/// One viewer that keeps watching its camera: it connects once the path is published, watches
/// until the session ends (camera gone, connection lost), and connects again, as a smart display
/// does. Every connection feeds the same <see cref="ColourTally"/>. Bounded: it stops when told,
/// at its lifetime, or after <see cref="MaxConnects"/> attempts.
/// </summary>
internal sealed class ViewerSlot(string name, string path, ColourTally tally, Func<CancellationToken, Task<IViewerSession>> connect)
{
    public const int MaxConnects = 5000;

    private IViewerSession? _current;
    private int _connects;
    private int _failedConnects;

    public string Name { get; } = name;

    public string Path { get; } = path;

    public ColourTally Tally { get; } = tally;

    /// <summary>No loss anywhere between camera and viewer (TCP both ways): not even a speck is excused.</summary>
    public bool Lossless { get; init; }

    public int Connects => Volatile.Read(ref _connects);

    public int FailedConnects => Volatile.Read(ref _failedConnects);

    public string? LastError { get; private set; }

    /// <summary>The session being watched now, if any.</summary>
    public IViewerSession? Current => Volatile.Read(ref _current);

    public async Task RunAsync(Func<CancellationToken, Task> waitUntilPublished, CancellationToken stop)
    {
        for (int attempt = 0; attempt < MaxConnects && !stop.IsCancellationRequested; attempt++)
        {
            IViewerSession session;
            try
            {
                await waitUntilPublished(stop);
                session = await connect(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Refused (404 while the camera is away) or the handshake lost to the network: retry.
                Interlocked.Increment(ref _failedConnects);
                LastError = e.Message;
                await PauseAsync(stop);
                continue;
            }

            Interlocked.Increment(ref _connects);
            Volatile.Write(ref _current, session);
            try
            {
                await session.Ended.WaitAsync(stop);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                Volatile.Write(ref _current, null);
                await session.DisposeAsync();
            }

            await PauseAsync(stop);
        }
    }

    private static async Task PauseAsync(CancellationToken stop)
    {
        try
        {
            await Task.Delay(250, stop);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
