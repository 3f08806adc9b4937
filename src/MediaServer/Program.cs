using MediaServer;
using MediaServer.Configuration;
using MediaServer.Core.Access;
using MediaServer.Core.Net;

if (args is ["hash-password", ..])
{
    // `echo -n 'secret' | MediaServer hash-password` prints the value for Auth:Users:N:Password.
    string password = (args.Length > 1 ? args[1] : Console.In.ReadToEnd()).TrimEnd('\r', '\n');
    Console.WriteLine(PasswordVerifier.Hash(password));
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
