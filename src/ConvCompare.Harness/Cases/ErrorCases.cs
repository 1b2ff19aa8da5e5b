using ConvRef;

namespace ConvCompare.Cases;

/// <summary>
/// Draws error-input cases (<see cref="ErrorCase"/>): a small valid layer of the operation, then the
/// one change that breaks the rule. Case k of a sweep is the (rule, operation) pair k mod
/// <see cref="ErrorRules.Pairs"/>'s count, its shapes drawn from a stream of its own, so it leaves every
/// other case of the sweep what it was; SplitMix64 makes it the same on every machine.
/// </summary>
internal static class ErrorCases
{
    /// <summary>The stream the error-input cases draw from, apart from every other kind's.</summary>
    private const ulong ErrorStream = 0x6572726F7273UL;

    /// <summary>Error-input case <paramref name="ordinal"/> of the sweep with seed <paramref name="sweepSeed"/>.</summary>
    public static ErrorCase Generate(ulong sweepSeed, int ordinal)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ordinal);
        var (rule, op) = ErrorRules.Pairs[ordinal % ErrorRules.Pairs.Count];
        return Draw(rule, op, SplitMix64.Derive(sweepSeed ^ ErrorStream, (ulong)ordinal));
    }

    /// <summary>The case of <paramref name="rule"/> on <paramref name="op"/> drawn from <paramref name="seed"/>.</summary>
    public static ErrorCase Draw(ErrorRule rule, ErrorOp op, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var rng = new SplitMix64(seed);
        int rank = op.Op.Rank();
        bool transposed = op.Op.Transposed();
        int n = rng.Between(1, 2), groups = rng.Between(1, 2), perGroupIn = rng.Between(1, 2), perGroupOut = rng.Between(1, 2);
        int cin = groups * perGroupIn, cout = groups * perGroupOut;
        int[] size = new int[rank], kernel = new int[rank], stride = new int[rank], dilation = new int[rank], pad = new int[rank], outputPadding = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            kernel[i] = rng.Between(1, 3);
            stride[i] = rng.Between(1, 2);
            dilation[i] = rng.Between(1, 2);
            pad[i] = rng.Between(0, 1);
            size[i] = Math.Max(rng.Between(3, 6), Span(kernel[i], dilation[i]));
        }
        bool bias = rng.Chance(0.5);
        int[] delta = [n, cout, .. Enumerable.Range(0, rank).Select(i => transposed
            ? (size[i] - 1) * stride[i] - 2 * pad[i] + Span(kernel[i], dilation[i])
            : (size[i] + 2 * pad[i] - Span(kernel[i], dilation[i])) / stride[i] + 1)];
        int axis = rng.Between(0, rank - 1);
        var mode = PaddingMode.Zeros;
        bool same = false;
        int[]? strideList = null;
        int[] input = [n, cin, .. size];
        int[] Weights() => transposed ? [cin, cout / Math.Max(groups, 1), .. kernel] : [cout, cin / Math.Max(groups, 1), .. kernel];
        int[] weights = Weights();
        int? biasLength = bias ? cout : null;

        switch (rule.Token)
        {
            case "stride0": stride[axis] = 0; break;
            case "dilation0": dilation[axis] = 0; break;
            case "negative-padding": pad[axis] = -1; break;
            case "groups0": groups = 0; break;
            case "groups-input":
                groups = rng.Between(2, 3);
                cin = groups * perGroupIn + rng.Between(1, groups - 1);
                cout = groups * perGroupOut;
                (input, weights) = ([n, cin, .. size], Weights());
                break;
            case "groups-output":
                groups = rng.Between(2, 3);
                cin = groups * perGroupIn;
                cout = groups * perGroupOut + rng.Between(1, groups - 1);
                (input, weights) = ([n, cin, .. size], [cout, perGroupIn, .. kernel]);
                break;
            case "weight-channels": weights[transposed ? 0 : 1]++; break;
            case "kernel-too-large":
                kernel[axis] = size[axis] + 2 * pad[axis] + rng.Between(1, 2);
                dilation[axis] = 1;
                weights = Weights();
                break;
            case "input-rank": input = rng.Chance(0.5) ? [1, .. input] : [.. size]; break;
            case "zero-size":
                input[0] = 0;
                delta[0] = 0;
                break;
            case "weight-rank": weights = [.. weights, 1]; break;
            case "bias-length": biasLength = cout + 1; break;
            case "delta-shape": delta[^1] += rng.Between(1, 2); break;
            case "output-padding": outputPadding[axis] = Math.Max(stride[axis], dilation[axis]); break;
            case "transposed-empty": pad[axis] = ((size[axis] - 1) * stride[axis] + Span(kernel[axis], dilation[axis])) / 2 + 1; break;
            case "reflect-too-wide":
                mode = PaddingMode.Reflect;
                pad[axis] = size[axis] + rng.Between(0, 1);
                break;
            case "circular-too-wide":
                mode = PaddingMode.Circular;
                pad[axis] = size[axis] + 1;
                break;
            case "same-strided":
                same = true;
                stride[axis] = 2;
                break;
            case "transposed-padding-mode": mode = rng.Between(0, 2) switch { 0 => PaddingMode.Reflect, 1 => PaddingMode.Replicate, _ => PaddingMode.Circular }; break;
            case "transposed-same": same = true; break;
            case "output-padding-plain": outputPadding[axis] = 1; break;
            case "axis-count": strideList = [.. Enumerable.Repeat(1, rank + 1)]; break;
            case "unknown-padding-mode": mode = (PaddingMode)(4 + rng.Between(0, 3)); break;
            case "null-stride": strideList = []; break;
            case "padding-overflow": pad[axis] = int.MaxValue - rng.Between(0, 1); break;
            case "transposed-overflow": stride[axis] = 1 << 30; break;
            case "non-finite-bias" or "non-finite-upstream" or "upstream-shape": biasLength = cout; break;
            // ConvRef's own API: the layer stays valid, and the engine misuses the entry point the rule names.
            case "output-shape" or "gradient-shape" or "shared-storage" or "unknown-algorithm" or "max-tensor-bytes" or "tensor-too-large"
                or "max-threads" or "non-finite-input" or "non-finite-weights" or "non-finite-delta"
                or "activation-needs-z" or "z-shape" or "leaky-slope" or "clip-value" or "unknown-activation" or "non-finite-z":
                break;
            default: throw new ArgumentOutOfRangeException(nameof(rule), rule.Token, "no error-input case is drawn for this rule");
        }
        var spec = new ConvSpec
        {
            // An empty list stands for the null a caller may pass.
            Stride = strideList is [] ? null! : strideList ?? stride, Dilation = dilation, Groups = groups, PaddingMode = mode, OutputPadding = outputPadding,
            Padding = same ? ConvPadding.Same : ConvPadding.PerSide(pad, pad),
        };
        return new ErrorCase(rule, op, seed, input, weights, biasLength, delta, spec);
    }

    private static int Span(int kernel, int dilation) => (kernel - 1) * dilation + 1;
}
