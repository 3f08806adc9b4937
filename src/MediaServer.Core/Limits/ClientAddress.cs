using System.Net;

namespace MediaServer.Core.Limits;

/// <summary>The client address per-address limits count by.</summary>
public static class ClientAddress
{
    /// <summary>::ffff:a.b.c.d on a dual-stack socket is the same client as a.b.c.d.</summary>
    public static IPAddress? Normalize(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
}
