using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace MediaServer.LoadGenerator;

/// <summary>
/// The pulled cameras' RTSP server: one listener on 127.0.0.1 (a port chosen at run time) serves
/// every camera at its own mount path, <c>rtsp://127.0.0.1:port/cam0</c>, <c>/cam1</c>, ...
/// </summary>
internal sealed class CameraRtspServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Dictionary<string, PulledCamera> _cameras;
    private readonly List<(CameraRtspConnection Connection, Task Run)> _connections = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _accept = Task.CompletedTask;
    private int _disposed;

    private CameraRtspServer(Socket listener, IEnumerable<PulledCamera> cameras)
    {
        _listener = listener;
        _cameras = cameras.ToDictionary(c => c.Mount, StringComparer.Ordinal);
        EndPoint = (IPEndPoint)listener.LocalEndPoint!;
    }

    public IPEndPoint EndPoint { get; }

    public static CameraRtspServer Start(IEnumerable<PulledCamera> cameras)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(512);
        var server = new CameraRtspServer(listener, cameras);
        server._accept = server.AcceptAsync();
        return server;
    }

    /// <summary>The camera's URL, what the server's <c>Paths:N:Source</c> names.</summary>
    public string Url(PulledCamera camera) => $"rtsp://{EndPoint}/{camera.Mount}";

    public bool TryFind(string mount, [NotNullWhen(true)] out PulledCamera? camera) => _cameras.TryGetValue(mount, out camera);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        _listener.Dispose();
        await _accept;
        Task[] runs;
        lock (_connections)
        {
            foreach ((CameraRtspConnection connection, _) in _connections)
            {
                connection.Abort();
            }

            runs = [.. _connections.Select(c => c.Run)];
        }

        await Task.WhenAll(runs);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                Socket socket = await _listener.AcceptAsync(_stop.Token);
                CameraRtspConnection connection;
                try
                {
                    connection = new CameraRtspConnection(this, socket);
                }
                catch (SocketException)
                {
                    // Reset before it was served: nothing to answer.
                    socket.Dispose();
                    continue;
                }

                lock (_connections)
                {
                    _connections.RemoveAll(c => c.Run.IsCompleted);
                    _connections.Add((connection, connection.RunAsync(_stop.Token)));
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }
}
