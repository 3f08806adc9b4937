using System.Runtime.InteropServices;

namespace MediaServer.Core.Net;

/// <summary>
/// <c>struct iovec</c> as 64-bit Linux lays it out: one datagram's bytes in a pinned buffer.
/// Only <see cref="UdpSendBatch"/> fills it, and only when <c>IntPtr.Size == 8</c>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IoVector
{
    public IntPtr Base;
    public nuint Length;
}
