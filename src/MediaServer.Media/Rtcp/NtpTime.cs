namespace MediaServer.Media.Rtcp;

/// <summary>
/// 64-bit NTP timestamps as RTCP carries them (RFC 3550 §4): seconds since 1900-01-01 UTC in the
/// high 32 bits, the fraction of a second in the low 32 bits.
/// </summary>
public static class NtpTime
{
    private static readonly DateTime Era0 = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    // The seconds field wraps on 2036-02-07; RFC 4330 §3 reads values with the top bit clear as
    // the next era, which keeps timestamps unambiguous from 1968 to 2104.
    private static readonly DateTime Era1 = Era0.AddSeconds(4294967296d);

    public static ulong FromDateTime(DateTime utc)
    {
        DateTime epoch = utc >= Era1 ? Era1 : Era0;
        ulong ticks = (ulong)(utc - epoch).Ticks;
        ulong seconds = ticks / TimeSpan.TicksPerSecond;
        ulong fraction = (ticks % TimeSpan.TicksPerSecond << 32) / TimeSpan.TicksPerSecond;
        return ((seconds & 0xFFFFFFFF) << 32) | fraction;
    }

    public static DateTime ToDateTime(ulong ntp)
    {
        ulong seconds = ntp >> 32;
        ulong fraction = ntp & 0xFFFFFFFF;
        DateTime epoch = (seconds & 0x80000000) != 0 ? Era0 : Era1;
        long ticks = (long)(seconds * TimeSpan.TicksPerSecond) + (long)((fraction * TimeSpan.TicksPerSecond) >> 32);
        return epoch.AddTicks(ticks);
    }

    /// <summary>The middle 32 bits, as used by LSR in reception reports (RFC 3550 §6.4.1).</summary>
    public static uint Middle32(ulong ntp) => (uint)(ntp >> 16);
}
