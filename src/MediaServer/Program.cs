using MediaServer;
using MediaServer.Core.Access;

if (args is ["hash-password", ..])
{
    // `echo -n 'secret' | MediaServer hash-password` prints the value for Auth:Users:N:Password.
    string password = (args.Length > 1 ? args[1] : Console.In.ReadToEnd()).TrimEnd('\r', '\n');
    Console.WriteLine(PasswordVerifier.Hash(password));
    return;
}

await using MediaServerHost host = await MediaServerHost.StartAsync(args);
await host.WaitForShutdownAsync();
