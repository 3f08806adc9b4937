using MediaServer;
using MediaServer.Configuration;
using MediaServer.Core.Net;

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
catch (PortBindException e)
{
    // Exit code 2 as well: a port of the configuration cannot be had; the one line names its setting.
    Console.Error.WriteLine(e.Message);
    Environment.ExitCode = 2;
    return;
}

await using (host)
{
    await host.WaitForShutdownAsync();
}
