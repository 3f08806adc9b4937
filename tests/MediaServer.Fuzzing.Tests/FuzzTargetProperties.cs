using MediaServer.Fuzz;
using MediaServer.Fuzzing.Tests.Generators;

namespace MediaServer.Fuzzing.Tests;

/// <summary>
/// The fuzz targets themselves, so CI (which has no AFL) proves each one accepts its whole seed
/// corpus (a target that "crashes" on valid input would make every AFL finding noise) and that
/// random and damaged input trip neither the product code nor the targets' own invariant checks.
/// </summary>
public class FuzzTargetProperties
{
    public static TheoryData<string> Names() => [.. FuzzTargetNames.All];

    [Fact]
    public void Every_named_target_exists_and_has_seeds()
    {
        Assert.Equal(FuzzTargetNames.All, FuzzTargets.All.Select(t => t.Name));
        Assert.All(FuzzTargets.All, t => Assert.NotEmpty(t.Seeds()));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_target_accepts_its_seeds(string name)
    {
        FuzzTarget target = FuzzTargets.Find(name)!;
        foreach (byte[] seed in target.Seeds())
        {
            target.Run(seed);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_target_survives_random_and_damaged_input(string name)
    {
        FuzzTarget target = FuzzTargets.Find(name)!;
        Gen.OneOf(Gen.Byte.Array[0, 300], Mutations.Bytes(target.Seeds().ToList()))
            .Sample(bytes => target.Run(bytes), iter: Budget.Text);
    }
}
