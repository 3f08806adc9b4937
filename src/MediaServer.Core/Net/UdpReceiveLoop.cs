using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace MediaServer.Core.Net;

/// <summary>
/// Receives a UDP socket's datagrams on a dedicated thread with a blocking receive (no allocation
/// and no task per datagram) and hands each to the protocol's handler. Socket errors a peer causes
/// (ICMP port unreachable from a client that left surfaces as one on Linux) do not stop it; it ends
/// when stopped and its socket disposed. Generic over a struct handler so the per-datagram call is
/// direct, not through the interface.
/// </summary>
public sealed class UdpReceiveLoop<THandler>
    where THandler : struct, IDatagramHandler
{
    private const int BufferLength = 65536;

    private readonly Socket _socket;
    private readonly ILogger _logger;
    private readonly string _logName;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private THandler _handler; // not readonly: a call on a readonly struct field of a type parameter copies it first
    private volatile bool _stopping;

    /// <param name="name">Names the thread and the loop in the log (e.g. "rtsp-udp-rtp").</param>
    /// <param name="logName">Begins the message logged when the handler fails ("{logName} datagram handler failed").</param>
    public UdpReceiveLoop(Socket socket, THandler handler, string name, string logName, ILogger logger)
    {
        _socket = socket;
        _handler = handler;
        _logger = logger;
        _logName = logName;
        var thread = new Thread(Run) { IsBackground = true, Name = name };
        thread.Start();
    }

    /// <summary>Completes when the thread has ended.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Ends the loop once its socket is disposed (the owner's job: it may still send on it).</summary>
    public void Stop() => _stopping = true;

    private void Run()
    {
        try
        {
            Receive();
        }
        finally
        {
            _completion.TrySetResult();
        }
    }

    private void Receive()
    {
        byte[] buffer = GC.AllocateArray<byte>(BufferLength, pinned: true);
        var from = new SocketAddress(_socket.AddressFamily);
        while (!_stopping)
        {
            int received;
            try
            {
                received = _socket.ReceiveFrom(buffer, SocketFlags.None, from);
            }
            catch (SocketException) when (!_stopping)
            {
                continue;
            }
            catch (Exception) when (_stopping)
            {
                return;
            }

            try
            {
                _handler.OnDatagram(buffer.AsSpan(0, received), from);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "{Receiver} datagram handler failed", _logName);
            }
        }
    }
}
