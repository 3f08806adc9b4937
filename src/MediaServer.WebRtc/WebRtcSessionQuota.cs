using System.Diagnostics.CodeAnalysis;
using System.Net;
using MediaServer.Core.Access;
using MediaServer.Core.Limits;

namespace MediaServer.WebRtc;

/// <summary>
/// WebRTC sessions in total, per client address and per authenticated principal. A slot is taken
/// before a session is made, so a burst of concurrent offers cannot pass a bound between a check
/// and the session's creation, and it is given back exactly once: by the session when it closes,
/// however it closes, or by the offer that failed after taking it.
/// </summary>
public sealed class WebRtcSessionQuota(WebRtcOptions options)
{
    private readonly KeyedCounts<IPAddress> _perAddress = new();
    private readonly KeyedCounts<string> _perPrincipal = new(StringComparer.Ordinal);
    private int _total;

    /// <summary>Slots taken now.</summary>
    public int Count => Volatile.Read(ref _total);

    public int CountOf(IPAddress address) => _perAddress[ClientAddress.Normalize(address)!];

    public int CountOf(Principal principal) => _perPrincipal[principal.OwnerKey];

    /// <summary>
    /// A slot for a session of <paramref name="owner"/> from <paramref name="address"/> (null when
    /// unknown: no per-address bound). Anonymous principals (authentication off, or none given)
    /// are all one name, so they are bound per address only. A principal is counted by its owner
    /// key, not its name: tokens without a subject are all named <c>jwt:token</c> yet are each
    /// their own owner, and a user named <c>jwt:x</c> is not the token of subject x.
    /// </summary>
    public bool TryTake(IPAddress? address, Principal owner, [NotNullWhen(true)] out WebRtcSessionSlot? slot, out WebRtcSessionLimit refusedBy)
    {
        slot = null;
        address = ClientAddress.Normalize(address);
        string? principal = owner.IsAuthenticated ? owner.OwnerKey : null;
        if (Interlocked.Increment(ref _total) > options.MaxSessions)
        {
            Interlocked.Decrement(ref _total);
            refusedBy = WebRtcSessionLimit.Total;
            return false;
        }

        if (address is not null && !_perAddress.TryTake(address, options.MaxSessionsPerAddress))
        {
            Interlocked.Decrement(ref _total);
            refusedBy = WebRtcSessionLimit.PerAddress;
            return false;
        }

        if (principal is not null && !_perPrincipal.TryTake(principal, options.MaxSessionsPerPrincipal))
        {
            if (address is not null)
            {
                _perAddress.Release(address);
            }

            Interlocked.Decrement(ref _total);
            refusedBy = WebRtcSessionLimit.PerPrincipal;
            return false;
        }

        refusedBy = WebRtcSessionLimit.None;
        slot = new WebRtcSessionSlot(this, address, principal);
        return true;
    }

    internal void Release(IPAddress? address, string? principal)
    {
        if (principal is not null)
        {
            _perPrincipal.Release(principal);
        }

        if (address is not null)
        {
            _perAddress.Release(address);
        }

        Interlocked.Decrement(ref _total);
    }
}
