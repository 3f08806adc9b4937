using System.Diagnostics;
using System.Globalization;

namespace MediaServer.LoadGenerator;

/// <summary>
/// CPU time and resident memory of a process, read from /proc (Linux): utime + stime of
/// /proc/PID/stat in clock ticks, VmRSS of /proc/PID/status.
/// </summary>
internal readonly record struct ProcessSample(TimeSpan CpuTime, long RssBytes, int Threads, long Taken)
{
    private const double TicksPerSecond = 100; // USER_HZ, fixed at 100 on Linux for /proc

    public static ProcessSample Read(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name may hold spaces: fields start after its closing parenthesis.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        int threads = int.Parse(fields[17], CultureInfo.InvariantCulture);
        long rss = 0;
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
                break;
            }
        }

        return new ProcessSample(TimeSpan.FromSeconds(ticks / TicksPerSecond), rss, threads, Stopwatch.GetTimestamp());
    }

    /// <summary>CPU used between two samples as a share of one core (1.0 = one core busy).</summary>
    public static double CoresUsed(ProcessSample from, ProcessSample to)
    {
        double wall = (to.Taken - from.Taken) / (double)Stopwatch.Frequency;
        return wall <= 0 ? 0 : (to.CpuTime - from.CpuTime).TotalSeconds / wall;
    }
}
