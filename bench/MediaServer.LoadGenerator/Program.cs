using MediaServer.LoadGenerator;

// The generator's socket continuations are a few lines each (parse, count, record): run them on
// the socket engine's thread instead of queueing each to the thread pool. That halves the
// generator's CPU on the two cores it shares with the server and keeps its own queueing out of
// the latency it measures. Read once, when the first socket is made, so it must be set first.
Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");

// dotnet run -c Release --project bench/MediaServer.LoadGenerator -- --cameras 100 --readers 4 --json out.json
LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

LoadReport report = await new LoadRun(options).RunAsync(CancellationToken.None);
Console.WriteLine(report.ToTable());
if (options.JsonPath is { } json)
{
    await File.WriteAllTextAsync(json, report.ToJson());
}

// A run where readers failed to connect or lost data did not meet its load: say so in the exit code.
return report.ReaderConnectFailures == 0 && report.Errors == 0 && report.IsolationViolations == 0 ? 0 : 1;
