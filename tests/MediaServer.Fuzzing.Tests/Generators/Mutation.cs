namespace MediaServer.Fuzzing.Tests.Generators;

/// <summary>
/// Byte-level edits of a valid message, the kinds a lossy link or a hostile peer produces: a bit
/// flipped, a byte overwritten, the message cut short, bytes inserted, removed or repeated.
/// Positions are taken modulo the current length, so every edit applies to any message.
/// </summary>
internal readonly record struct Mutation(int Kind, int Position, byte Value, int Length, byte[] Inserted)
{
    public const int KindCount = 6;

    public byte[] ApplyTo(byte[] message)
    {
        int at = message.Length == 0 ? 0 : Position % (message.Length + 1);
        switch (Kind)
        {
            case 0 when message.Length > 0:
                byte[] flipped = (byte[])message.Clone();
                flipped[at % message.Length] ^= (byte)(1 << (Value & 7));
                return flipped;
            case 1 when message.Length > 0:
                byte[] overwritten = (byte[])message.Clone();
                overwritten[at % message.Length] = Value;
                return overwritten;
            case 2:
                return message[..at];
            case 3:
                return [.. message.AsSpan(0, at), .. Inserted, .. message.AsSpan(at)];
            case 4:
                int removed = Math.Min(Length, message.Length - at);
                return [.. message.AsSpan(0, at), .. message.AsSpan(at + removed)];
            case 5:
                int repeated = Math.Min(Length, message.Length - at);
                return [.. message.AsSpan(0, at + repeated), .. message.AsSpan(at)];
            default:
                return message;
        }
    }

    public override string ToString() => Kind switch
    {
        0 => $"flip bit {Value & 7} at {Position}",
        1 => $"set byte {Position} to 0x{Value:X2}",
        2 => $"truncate at {Position}",
        3 => $"insert {Convert.ToHexString(Inserted)} at {Position}",
        4 => $"delete {Length} at {Position}",
        _ => $"repeat {Length} at {Position}",
    };
}
