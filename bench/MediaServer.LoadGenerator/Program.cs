using MediaServer.LoadGenerator;

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
