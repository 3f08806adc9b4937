using System.Diagnostics;

namespace MediaServer.LoadGenerator;

/// <summary>
/// Sends every camera's frames on time from one thread. Cameras are spread evenly over a frame
/// interval, as independent cameras are, so ingest is a steady stream rather than one spike per
/// frame. A frame sent more than one interval late is counted: it means the generator, not the
/// server, was the bottleneck.
/// </summary>
internal sealed class CameraPacer
{
    private readonly IReadOnlyList<ICamera> _cameras;
    private readonly long _interval;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private long _lateFrames;
    private long _errors;

    public CameraPacer(IReadOnlyList<ICamera> cameras, int framesPerSecond)
    {
        _cameras = cameras;
        _interval = Stopwatch.Frequency / framesPerSecond;
        _thread = new Thread(Run) { IsBackground = true, Name = "camera-pacer", Priority = ThreadPriority.AboveNormal };
    }

    public long LateFrames => Interlocked.Read(ref _lateFrames);

    public long Errors => Interlocked.Read(ref _errors);

    public void Start() => _thread.Start();

    public void Stop()
    {
        _stopping = true;
        if (_thread.IsAlive)
        {
            _thread.Join();
        }
    }

    private void Run()
    {
        long start = Stopwatch.GetTimestamp();
        long[] due = new long[_cameras.Count];
        bool[] failed = new bool[_cameras.Count];
        for (int i = 0; i < due.Length; i++)
        {
            due[i] = start + _interval * i / Math.Max(1, due.Length);
        }

        while (!_stopping)
        {
            long now = Stopwatch.GetTimestamp();
            long next = long.MaxValue;
            for (int i = 0; i < due.Length; i++)
            {
                if (!failed[i] && now >= due[i])
                {
                    if (now - due[i] > _interval)
                    {
                        Interlocked.Increment(ref _lateFrames);
                        due[i] = now; // skip ahead rather than burst to catch up
                    }

                    try
                    {
                        _cameras[i].SendFrame();
                    }
                    catch (Exception)
                    {
                        failed[i] = true;
                        Interlocked.Increment(ref _errors);
                    }

                    due[i] += _interval;
                }

                next = Math.Min(next, due[i]);
            }

            // Sleep, never spin: on two cores a spinning pacer would take the server's CPU. A frame
            // up to ~1 ms late changes nothing measured, since its stamp is taken when it is written.
            if (next > Stopwatch.GetTimestamp())
            {
                Thread.Sleep(1);
            }
        }
    }
}
