using MediaServer;
using MediaServer.Configuration;

if (args is ["hash-password", ..])
{
    // `echo -n 'secret' | MediaServer hash-password --user cam` prints the forms for Auth:Users:N.
    Environment.ExitCode = HashPasswordCommand.Run(args, Console.In, Console.Out, Console.Error);
    return;
}

MediaServerHost host;
try
{
    host = await MediaServerHost.StartAsync(args);
}
catch (ConfigurationException e)
{
    // Exit code 2: the configuration, not the server, is wrong; the message names each key.
    Console.Error.WriteLine(e.Message);
    Environment.ExitCode = 2;
    return;
}

await using (host)
{
    await host.WaitForShutdownAsync();
}
