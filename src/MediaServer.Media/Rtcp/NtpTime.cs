namespace MediaServer.Media.Rtcp;

/// <summary>64-bit NTP timestamps (seconds since 1900 in the high 32 bits, fraction in the low).</summary>
public static class NtpTime
{
    private static readonly DateTime Epoch = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static ulong FromDateTime(DateTime utc)
    {
        TimeSpan since = utc - Epoch;
        ulong seconds = (ulong)since.Ticks / TimeSpan.TicksPerSecond;
        ulong fraction = ((ulong)since.Ticks % TimeSpan.TicksPerSecond << 32) / TimeSpan.TicksPerSecond;
        return (seconds << 32) | fraction;
    }

    public static DateTime ToDateTime(ulong ntp)
    {
        ulong seconds = ntp >> 32;
        ulong fraction = ntp & 0xFFFFFFFF;
        long ticks = (long)(seconds * TimeSpan.TicksPerSecond) + (long)((fraction * TimeSpan.TicksPerSecond) >> 32);
        return Epoch.AddTicks(ticks);
    }

    /// <summary>The middle 32 bits, as used by LSR in reception reports.</summary>
    public static uint Middle32(ulong ntp) => (uint)(ntp >> 16);
}
