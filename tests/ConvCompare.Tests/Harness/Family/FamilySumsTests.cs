using ConvCompare.Cases;
using ConvCompare.Oracles;
using global::ConvRef;

namespace ConvCompare.Tests.Harness.Family;

/// <summary>
/// The judge's definition of the family on examples small enough to sum by hand: every expected number
/// below is worked out in the comment beside it from PyTorch's definitions of pad and conv_transpose, not
/// computed by any code.
/// </summary>
public class FamilySumsTests
{
    private static CaseConfig Case(string id)
    {
        Assert.True(CaseId.TryParse(id, out var c, out string error), error);
        return c;
    }

    [Fact]
    public void ReflectPadding_MirrorsWithoutTheEdgeAndFoldsEveryCopysGradientBack()
    {
        // a = [1 2 3] reflect-padded by 1 is [2 | 1 2 3 | 2]; w = [1 10].
        var c = Case("conv1d-n1c1w3-o1k2-s1-p1,1-d1-g1-reflect-f64-nb-v1");
        double[] a = [1, 2, 3], w = [1, 10];
        // y = [2+10, 1+20, 2+30, 3+20].
        Assert.Equal([12, 21, 32, 23], FamilySums.Output(c, a, w, []));
        // dJ/d(padded) for dy = 1: [1, 11, 11, 11, 10]; the copies of a[1] at both ends fold back: [11, 1+11+10, 11].
        Assert.Equal([11, 22, 11], FamilySums.InputGradient(c, [1, 1, 1, 1], w));
        // dJ/dw[t] = Σ_x dy[x] padded[x + t]: [2+1+2+3, 1+2+3+2].
        Assert.Equal([8, 8], FamilySums.WeightGradient(c, a, [1, 1, 1, 1]));
    }

    [Fact]
    public void CircularPadding_WrapsToTheOppositeEnd()
    {
        // [1 2 3] circular-padded by 1 is [3 | 1 2 3 | 1]: y = [3+10, 1+20, 2+30, 3+10].
        var c = Case("conv1d-n1c1w3-o1k2-s1-p1,1-d1-g1-circular-f64-nb-v1");
        Assert.Equal([13, 21, 32, 13], FamilySums.Output(c, [1, 2, 3], [1, 10], []));
        // dJ/d(padded) [1 11 11 11 10]: a[0] gets its own 11 and the right copy's 10, a[2] its 11 and the left copy's 1.
        Assert.Equal([21, 11, 12], FamilySums.InputGradient(c, [1, 1, 1, 1], [1, 10]));
    }

    [Fact]
    public void ReplicatePadding_RepeatsTheEdge()
    {
        // [1 2 3] replicate-padded by 2 before is [1 1 | 1 2 3]: y = [1+10, 1+10, 1+20, 2+30].
        var c = Case("conv1d-n1c1w3-o1k2-s1-p2,0-d1-g1-replicate-f64-nb-v1");
        Assert.Equal([11, 11, 21, 32], FamilySums.Output(c, [1, 2, 3], [1, 10], []));
        // dJ/d(padded) for dy = 1: [1 11 11 11 10]; a[0] gets the two copies' and its own: 1 + 11 + 11.
        Assert.Equal([23, 11, 10], FamilySums.InputGradient(c, [1, 1, 1, 1], [1, 10]));
    }

    [Fact]
    public void TransposedConvolution_ScattersEachInputAndCountsOutputPadding()
    {
        // x = [1 2], w = [1 10], stride 2, output_padding 1: length (2-1)*2 + 2 + 1 = 5;
        // y[2i + t] += x[i] w[t] gives [1, 10, 2, 20, 0], bias 5 on every element.
        var c = Case("conv_transpose1d-n1c1w2-o1k2-s2-p0,0-op1-d1-g1-f64-v1");
        Assert.Equal([6, 15, 7, 25, 5], FamilySums.Output(c, [1, 2], [1, 10], [5]));
        // dJ/dx[i] = Σ_t dy[2i + t] w[t] for dy = [1 2 3 4 5]: [1+20, 3+40]; the padded output's dy[4] meets no input.
        Assert.Equal([21, 43], FamilySums.InputGradient(c, [1, 2, 3, 4, 5], [1, 10]));
        // dJ/dw[t] = Σ_i x[i] dy[2i + t]: [1*1 + 2*3, 1*2 + 2*4]; dJ/db = Σ dy.
        Assert.Equal([7, 10], FamilySums.WeightGradient(c, [1, 2], [1, 2, 3, 4, 5]));
        Assert.Equal([15], FamilySums.BiasGradient(c, [1, 2, 3, 4, 5]));
    }

    [Fact]
    public void TransposedPadding_CropsTheOutputsEnds()
    {
        // As above without output padding (length 4, [1 10 2 20]) and padding 1 on each side: [10 2].
        var c = Case("conv_transpose1d-n1c1w2-o1k2-s2-p1,1-op0-d1-g1-f64-nb-v1");
        Assert.Equal([10, 2], FamilySums.Output(c, [1, 2], [1, 10], []));
    }

    [Fact]
    public void SamePaddingWithAnEvenKernel_PutsTheExtraZeroAfter()
    {
        // k = 2: one zero in all, after: [1 2 3 | 0]; y = [1+20, 2+30, 3+0].
        var c = Case("conv1d-n1c1w3-o1k2-s1-psame-d1-g1-f64-nb-v1");
        Assert.Equal([21, 32, 3], FamilySums.Output(c, [1, 2, 3], [1, 10], []));
    }

    [Fact]
    public void Conv3dAndUnbatchedInput_SumOverEveryAxis()
    {
        // An unbatched 2x2x2 input (values 1..8) against an all-ones 2x2x2 kernel: one output, the sum 36.
        var c = Case("conv3d-n1c1d2h2w2-o1k2x2x2-s1x1x1-p0,0,0,0,0,0-d1x1x1-g1-ub-f64-nb-v1");
        Assert.Equal([1, 2, 2, 2], c.InputShape);
        Assert.Equal([1, 1, 1, 1], c.OutputShape);
        Assert.Equal([36], FamilySums.Output(c, [1, 2, 3, 4, 5, 6, 7, 8], [1, 1, 1, 1, 1, 1, 1, 1], []));
    }

    [Fact]
    public void CompensatedReference_OfAFamilyCase_IsItsDefinitionToTheLastBit()
    {
        var c = Case("conv1d-n1c1w3-o1k2-s1-p1,1-d1-g1-reflect-f64-v1");
        var x = new CaseInputs(new Tensor<double>([1, 1, 3], [1, 2, 3]), new Tensor<double>([1, 1, 2], [1, 10]),
            new Tensor<double>([1], [0.5]), new Tensor<double>([1, 1, 4], [1, 1, 1, 1]), null);
        Assert.Equal([12.5, 21.5, 32.5, 23.5], CompensatedReference.Compute(c, x, TensorKind.Y).Data);
        Assert.Equal([11, 22, 11], CompensatedReference.Compute(c, x, TensorKind.Dx).Data);
        Assert.Equal([8, 8], CompensatedReference.Compute(c, x, TensorKind.Dw).Data);
        Assert.Equal([4], CompensatedReference.Compute(c, x, TensorKind.Db).Data);
    }
}
