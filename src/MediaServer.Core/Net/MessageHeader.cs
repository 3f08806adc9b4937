using System.Runtime.InteropServices;

namespace MediaServer.Core.Net;

/// <summary>
/// <c>struct msghdr</c> as 64-bit Linux lays it out (56 bytes; sequential layout inserts the same
/// padding after <see cref="NameLength"/> and <see cref="Flags"/> as the C compiler does).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct MessageHeader
{
    public IntPtr Name;
    public uint NameLength;
    public IntPtr Vectors;
    public nuint VectorCount;
    public IntPtr Control;
    public nuint ControlLength;
    public int Flags;
}
