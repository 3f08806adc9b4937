using System.Globalization;

namespace MediaServer.LoadGenerator;

/// <summary>The command line: what to run against the server, and how long.</summary>
internal sealed class LoadOptions
{
    public int Cameras { get; private set; } = 1;

    /// <summary>
    /// push: cameras publish to the server (ANNOUNCE, RECORD). pull: the generator serves them as
    /// RTSP cameras on 127.0.0.1 and the server pulls each (<c>Paths:N:Source</c>).
    /// </summary>
    public string CameraMode { get; private set; } = "push";

    /// <summary>How the server pulls the cameras (<c>Paths:N:SourceTransport</c>): tcp, udp or automatic.</summary>
    public string SourceTransport { get; private set; } = "tcp";

    /// <summary>The server pulls each camera only while it has readers (<c>Paths:N:SourceOnDemand</c>).</summary>
    public bool SourceOnDemand { get; private set; }

    public bool PullsCameras => CameraMode == "pull";

    public int ReadersPerCamera { get; private set; } = 1;

    /// <summary>Readers take these transports in turn: rtsp-tcp, rtsp-udp, webrtc.</summary>
    public IReadOnlyList<string> Transports { get; private set; } = ["rtsp-tcp"];

    public int BitrateKbps { get; private set; } = 2000;

    public int FramesPerSecond { get; private set; } = 30;

    public double GopSeconds { get; private set; } = 2;

    public double WarmupSeconds { get; private set; } = 5;

    public double DurationSeconds { get; private set; } = 20;

    /// <summary>Cameras announce and record but send nothing: measures what an idle reader costs.</summary>
    public bool Idle { get; private set; }

    public int ConnectConcurrency { get; private set; } = 32;

    public string? ServerDll { get; private set; }

    public string? JsonPath { get; private set; }

    public string Name { get; private set; } = "";

    /// <summary>Extra server settings (Key:Sub=value), e.g. Streams:ReaderQueuePackets=1024.</summary>
    public List<string> ServerSettings { get; } = [];

    /// <summary>Environment for the server process, e.g. DOTNET_gcServer=0.</summary>
    public List<(string Key, string Value)> ServerEnvironment { get; } = [];

    public int TotalReaders => Cameras * ReadersPerCamera;

    public const string Usage =
        "MediaServer.LoadGenerator [--cameras N] [--camera-mode push|pull] [--source-transport tcp|udp|automatic] [--source-on-demand]\n" +
        "  [--readers M (per camera)] [--transport rtsp-tcp,rtsp-udp,webrtc]\n" +
        "  [--bitrate KBPS] [--fps N] [--gop SECONDS] [--warmup S] [--duration S] [--idle]\n" +
        "  [--server-setting Key:Sub=value]... [--server-env NAME=value]... [--server-dll PATH]\n" +
        "  [--connect-concurrency N] [--name LABEL] [--json FILE]";

    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--cameras": options.Cameras = Positive(name, Value()); break;
                case "--camera-mode": options.CameraMode = OneOf(name, Value(), "push", "pull"); break;
                case "--source-transport": options.SourceTransport = OneOf(name, Value(), "tcp", "udp", "automatic"); break;
                case "--readers": options.ReadersPerCamera = NonNegative(name, Value()); break;
                case "--transport": options.Transports = Transport(Value()); break;
                case "--bitrate": options.BitrateKbps = Positive(name, Value()); break;
                case "--fps": options.FramesPerSecond = Positive(name, Value()); break;
                case "--gop": options.GopSeconds = Seconds(name, Value()); break;
                case "--warmup": options.WarmupSeconds = Seconds(name, Value()); break;
                case "--duration": options.DurationSeconds = Seconds(name, Value()); break;
                case "--idle": options.Idle = true; break;
                case "--source-on-demand": options.SourceOnDemand = true; break;
                case "--connect-concurrency": options.ConnectConcurrency = Positive(name, Value()); break;
                case "--server-dll": options.ServerDll = Path.GetFullPath(Value()); break;
                case "--server-setting": options.ServerSettings.Add(Value()); break;
                case "--server-env":
                    string[] pair = Value().Split('=', 2);
                    options.ServerEnvironment.Add((pair[0], pair.Length > 1 ? pair[1] : ""));
                    break;
                case "--json": options.JsonPath = Value(); break;
                case "--name": options.Name = Value(); break;
                default: throw new ArgumentException($"Unknown option {name}.");
            }
        }

        if (!options.PullsCameras && (args.Contains("--source-transport") || options.SourceOnDemand))
        {
            throw new ArgumentException("--source-transport and --source-on-demand say how the server pulls cameras: they need --camera-mode pull.");
        }

        if (options.SourceOnDemand && options.ReadersPerCamera == 0)
        {
            throw new ArgumentException("--source-on-demand: cameras are pulled only for readers, so it needs --readers 1 or more.");
        }

        return options;
    }

    private static string OneOf(string name, string value, params string[] allowed) =>
        allowed.Contains(value) ? value : throw new ArgumentException($"{name}: '{value}' is not {string.Join(" or ", allowed)}.");

    private static IReadOnlyList<string> Transport(string value)
    {
        string[] transports = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (string transport in transports)
        {
            if (transport is not ("rtsp-tcp" or "rtsp-udp" or "webrtc"))
            {
                throw new ArgumentException($"--transport: '{transport}' is not rtsp-tcp, rtsp-udp or webrtc.");
            }
        }

        return transports.Length > 0 ? transports : throw new ArgumentException("--transport needs at least one transport.");
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : throw new ArgumentException($"{name} must be a positive integer.");

    private static int NonNegative(string name, string value) =>
        int.TryParse(value, CultureInfo.InvariantCulture, out int n) && n >= 0 ? n : throw new ArgumentException($"{name} must be 0 or more.");

    private static double Seconds(string name, string value) =>
        double.TryParse(value, CultureInfo.InvariantCulture, out double s) && s >= 0 ? s : throw new ArgumentException($"{name} must be a number of seconds.");
}
