using MediaServer.Fuzz.Targets;

namespace MediaServer.Fuzz;

/// <summary>Every fuzz target, by the name given on the command line.</summary>
public static class FuzzTargets
{
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        RtspTarget.Target,
        SdpTarget.Target,
        RtpTarget.Target,
        RtcpTarget.Target,
        H264Target.Target,
        H265Target.Target,
        AacTarget.Target,
        StunTarget.Target,
        WhepTarget.Target,
    ];

    public static FuzzTarget? Find(string name)
    {
        foreach (FuzzTarget target in All)
        {
            if (string.Equals(target.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return target;
            }
        }

        return null;
    }
}
