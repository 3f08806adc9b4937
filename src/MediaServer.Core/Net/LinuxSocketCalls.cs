using System.Runtime.InteropServices;

namespace MediaServer.Core.Net;

/// <summary>The one libc call the batch sender needs, and the errno values it tells apart.</summary>
internal static class LinuxSocketCalls
{
    /// <summary>
    /// MSG_DONTWAIT: a full socket buffer fails the call with EAGAIN instead of blocking the egress
    /// loop; late real-time media is worth less than none, so the batch drops it.
    /// </summary>
    public const int DontWait = 0x40;

    public const int Interrupted = 4;        // EINTR
    public const int WouldBlock = 11;        // EAGAIN / EWOULDBLOCK
    public const int NoBufferSpace = 105;    // ENOBUFS
    public const int InputOutput = 5;        // EIO: a device that cannot checksum a segmented send
    public const int ProtocolOptionUnavailable = 92; // ENOPROTOOPT
    public const int NotSupported = 95;      // EOPNOTSUPP

    // DllImport, not LibraryImport: the source generator needs AllowUnsafeBlocks, which this
    // repository keeps off. Every argument is blittable; the SafeHandle is add-ref'd for the call,
    // so a socket disposed meanwhile fails with ObjectDisposedException instead of a reused fd.
    [DllImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int SendMultipleMessages(SafeHandle socket, IntPtr messages, uint count, int flags);
}
