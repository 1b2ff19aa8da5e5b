using ConvCompare.Cases;
using ConvCompare.Explain.Model;
using ConvCompare.Runner;

namespace ConvCompare.Explain.Examples;

/// <summary>Builds the walk-through: ConvRef's numbers, autograd's numbers and the checks between them.</summary>
internal static class WalkthroughBuilder
{
    /// <summary>
    /// The parts chosen by <paramref name="choice"/>. Each part draws from its own stream of the
    /// seed, so part 2's numbers do not depend on whether part 1 was built.
    /// </summary>
    public static Walkthrough Build(ExampleChoice choice, ulong seed, ILayerEngine autograd)
    {
        var parts = new List<WalkthroughPart>();
        if (choice is ExampleChoice.Single or ExampleChoice.All)
            parts.Add(SingleChannelPart.Build(seed, autograd));
        if (choice is ExampleChoice.Multi or ExampleChoice.All)
            parts.Add(MultiChannelPart.Build(new IntegerSource(seed ^ 0x2222_2222_2222_2222UL), seed, autograd));
        if (choice is ExampleChoice.Stride or ExampleChoice.All)
            parts.Add(StridePart.Build(new IntegerSource(seed ^ 0x3333_3333_3333_3333UL), autograd));
        return new Walkthrough(seed, parts);
    }

    /// <summary>
    /// The page of <paramref name="topic"/>: for <see cref="ExplainTopic.Backprop"/> the parts chosen by
    /// <paramref name="choice"/>, asked of <paramref name="layerAutograd"/>; the other pages ask <paramref name="familyAutograd"/>.
    /// </summary>
    public static Walkthrough Build(ExplainTopic topic, ExampleChoice choice, ulong seed, ILayerEngine layerAutograd, IFamilyAutograd familyAutograd)
        => topic switch
        {
            ExplainTopic.Transposed => TransposedPage.Build(seed, familyAutograd),
            ExplainTopic.Reflect => ReflectPage.Build(seed, familyAutograd),
            ExplainTopic.SecondOrder => SecondOrderPage.Build(seed, familyAutograd),
            _ => Build(choice, seed, layerAutograd),
        };
}
