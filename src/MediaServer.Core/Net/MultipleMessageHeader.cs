using System.Runtime.InteropServices;

namespace MediaServer.Core.Net;

/// <summary>
/// <c>struct mmsghdr</c> (64 bytes on 64-bit Linux): one entry of the vector <c>sendmmsg(2)</c>
/// takes; the kernel writes the bytes it sent into <see cref="SentLength"/>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct MultipleMessageHeader
{
    public MessageHeader Header;
    public uint SentLength;
}
