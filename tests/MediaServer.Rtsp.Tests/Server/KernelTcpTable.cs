namespace MediaServer.Rtsp.Tests.Server;

/// <summary>
/// The kernel's view of loopback TCP sockets (Linux <c>/proc/net/tcp</c>): whether the server's end
/// of a connection is still established, which a client that does not read cannot see by itself.
/// </summary>
internal static class KernelTcpTable
{
    private const string Established = "01";

    /// <summary>True while a socket bound to 127.0.0.1:<paramref name="serverPort"/> is connected to <paramref name="clientPort"/> and established.</summary>
    public static bool IsEstablished(int serverPort, int clientPort)
    {
        string local = $"0100007F:{serverPort:X4}";
        string remote = $"0100007F:{clientPort:X4}";
        foreach (string line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            // sl local_address rem_address st ...
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 3 && fields[1] == local && fields[2] == remote)
            {
                return fields[3] == Established;
            }
        }

        return false;
    }
}
