using System.Collections.Concurrent;
using MediaServer.Core.Streams;
using Microsoft.Extensions.DependencyInjection;

namespace MediaServer.EndToEnd.Infrastructure.Chaos;

/// <summary>
/// Samples every camera's ingest (packets the server took from it) in two-second windows while
/// the run goes on, so a camera whose packets were diverted or refused shows as a window far
/// below its own usual rate. Windows in which the camera was restarted, or its stream changed,
/// are not judged.
/// </summary>
internal sealed class CameraRateWatch(MediaServerHost host, IReadOnlyList<ChaosCamera> cameras, ConcurrentDictionary<string, bool> busy)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, List<long>> _windows = cameras.ToDictionary(c => c.Path, _ => new List<long>());

    /// <summary>For each camera, its worst judged window as a fraction of its median one.</summary>
    public IReadOnlyDictionary<string, double> WorstToMedian => _windows
        .Where(w => w.Value.Count > 0)
        .ToDictionary(w => w.Key, w => w.Value.Min() / (double)Math.Max(1, Median(w.Value)));

    public int JudgedWindows => _windows.Values.Sum(w => w.Count);

    public async Task RunAsync(CancellationToken stop)
    {
        StreamRegistry registry = host.Services.GetRequiredService<StreamRegistry>();
        Dictionary<string, (MediaStream? Stream, long Packets, bool Busy)> last = Sample(registry);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Window, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Dictionary<string, (MediaStream? Stream, long Packets, bool Busy)> now = Sample(registry);
            foreach (ChaosCamera camera in cameras)
            {
                (MediaStream? before, long packetsBefore, bool busyBefore) = last[camera.Path];
                (MediaStream? after, long packetsAfter, bool busyAfter) = now[camera.Path];
                bool settled = before is not null && ReferenceEquals(before, after) && !after.IsClosed && !busyBefore && !busyAfter &&
                    DateTimeOffset.UtcNow - after.CreatedAt > Window * 2;
                if (settled)
                {
                    _windows[camera.Path].Add(packetsAfter - packetsBefore);
                }
            }

            last = now;
        }
    }

    public override string ToString() =>
        $"{JudgedWindows} windows of {Window.TotalSeconds:F0} s; worst/median per camera: " +
        string.Join(", ", WorstToMedian.OrderBy(w => w.Key).Select(w => $"{w.Key} {w.Value:F2}"));

    private Dictionary<string, (MediaStream? Stream, long Packets, bool Busy)> Sample(StreamRegistry registry) =>
        cameras.ToDictionary(c => c.Path, c =>
        {
            MediaStream? stream = StreamId.TryCreate(c.Path, out StreamId id) && registry.TryGet(id, out MediaStream found) ? found : null;
            return (stream, stream?.PacketsIn ?? 0, busy.ContainsKey(c.Path));
        });

    private static long Median(List<long> values)
    {
        List<long> sorted = [.. values.Order()];
        return sorted[sorted.Count / 2];
    }
}
