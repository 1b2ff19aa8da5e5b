using ConvCompare.Cases;

namespace ConvCompare.Tests.Harness;

/// <summary>
/// Same seed, same cases on every machine rests on the generator being exactly SplitMix64 (Steele, Lea and Flood;
/// Vigna's reference C code). Generating twice in one process cannot show that: a per-process source
/// (randomized string hashes, an unseeded Random) would pass it. These values come from the published
/// reference sequence for seed 1234567 and from an independent arbitrary-precision evaluation of the
/// derived draws (integer by multiply-high, unit by the top 53 bits times 2^-53).
/// </summary>
public class SplitMix64Tests
{
    private const ulong Seed = 1234567;

    [Fact]
    public void Seed1234567_GivesTheReferenceSequence()
    {
        var rng = new SplitMix64(Seed);
        ulong[] reference = [6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431, 16408922859458223821];
        Assert.Equal(reference, Enumerable.Range(0, 5).Select(_ => rng.Next()));
    }

    [Fact]
    public void IntegersInARange_AreTheMultiplyHighOfTheReferenceSequence()
    {
        var tens = new SplitMix64(Seed);
        Assert.Equal([3, 1, 5, 2], Enumerable.Range(0, 4).Select(_ => tens.Between(0, 9)));
        var signed = new SplitMix64(Seed);
        Assert.Equal([-1, -2, 0, -2], Enumerable.Range(0, 4).Select(_ => signed.Between(-3, 3)));
    }

    [Fact]
    public void Unit_AndSignedValues_AreTheTop53BitsOfTheReferenceSequence()
    {
        var unit = new SplitMix64(Seed);
        Assert.Equal([0.3500795420214081, 0.17364409667091263, 0.5322073040624192, 0.24900765738229136],
            Enumerable.Range(0, 4).Select(_ => unit.NextUnit()));
        var signed = new SplitMix64(Seed);
        Assert.Equal([-0.29984091595718376, -0.6527118066581747, 0.06441460812483846, -0.5019846852354173],
            Enumerable.Range(0, 4).Select(_ => signed.NextSigned()));
    }

    [Fact]
    public void DerivedStreamSeed_IsTheFirstDrawMixedWithTheIndex() =>
        Assert.Equal(18220806196977521251UL, SplitMix64.Derive(Seed, 5));
}
