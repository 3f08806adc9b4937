using System.Net;

namespace MediaServer.WebRtc;

/// <summary>One session's place in the <see cref="WebRtcSessionQuota"/>; released once, however often asked.</summary>
public sealed class WebRtcSessionSlot
{
    private readonly WebRtcSessionQuota _quota;
    private readonly IPAddress? _address;
    private readonly string? _principal;
    private int _released;

    internal WebRtcSessionSlot(WebRtcSessionQuota quota, IPAddress? address, string? principal)
    {
        _quota = quota;
        _address = address;
        _principal = principal;
    }

    public void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _quota.Release(_address, _principal);
        }
    }
}
