using MediaServer;

await using MediaServerHost host = await MediaServerHost.StartAsync(args);
await host.WaitForShutdownAsync();
