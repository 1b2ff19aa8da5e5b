using System.Diagnostics;
using ConvCompare.Cases;
using ConvCompare.Implementations;
using ConvCompare.Oracles;
using ConvRef;

namespace ConvCompare.Runner;

/// <summary>Something that can be handed an error-input case: ConvRef's entry points, TorchSharp, or a test's planted engine.</summary>
internal interface IErrorInputEngine
{
    /// <summary>The name reports use: serial, vectorized, torch.</summary>
    string Name { get; }

    /// <summary>Whether this is the oracle (TorchSharp).</summary>
    bool IsOracle { get; }

    /// <summary>Whether the engine can be given <paramref name="errorCase"/> at all (TorchSharp's functional API cannot express every rule).</summary>
    bool Expresses(ErrorCase errorCase);

    /// <summary>Calls the engine's <paramref name="pass"/> on the case; returns when it accepted, throws when it refused.</summary>
    void Attempt(ErrorCase errorCase, ErrorPasses pass);

    /// <summary>Which passes of the case are attempted: by default every pass the rule makes invalid.</summary>
    ErrorPasses Passes(ErrorCase errorCase) => errorCase.Rule.Passes;
}

/// <summary>
/// Runs error-input cases: each engine's forward and backward pass on the invalid arguments, each judged
/// alone. A ConvRef implementation passes when it throws an <see cref="ArgumentException"/> whose
/// <see cref="ArgumentException.ParamName"/> names the parameter (<see cref="ErrorRule.Names"/>); any other
/// exception is a crash and a return is silent acceptance, both failures of that implementation alone.
/// TorchSharp passes when it throws: libtorch's errors name no parameter in a form code can read.
/// </summary>
internal sealed class ErrorInputRunner(IReadOnlyList<IErrorInputEngine> engines)
{
    /// <summary>The engines, the oracle last.</summary>
    public IReadOnlyList<IErrorInputEngine> Engines { get; } = engines;

    /// <summary>
    /// The engines of <paramref name="runner"/> that take error inputs: ConvRef's algorithms (through their public entry
    /// points) and TorchSharp. An implementation registered through the public interface is given valid layers only, so it is not among them.
    /// </summary>
    public static ErrorInputRunner For(CaseRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var engines = runner.Implementations.Select(Adapt).OfType<IErrorInputEngine>().ToList();
        if (Adapt(runner.Oracle) is { } oracle)
            engines.Add(oracle);
        return new ErrorInputRunner(engines);
    }

    private static IErrorInputEngine? Adapt(ILayerEngine engine) => engine switch
    {
        IErrorInputEngine own => own,
        ImplementationEngine { Implementation: ConvRefImplementation convRef } => ForConvRef(convRef),
        TorchOracle torch => new TorchErrorInputs(torch.Name),
        _ => null,
    };

    /// <summary>ConvRef's entry points with <paramref name="implementation"/>'s algorithm, as error inputs are given to them.</summary>
    public static IErrorInputEngine ForConvRef(ConvRefImplementation implementation) =>
        new ConvRefErrorInputs(implementation.Name, implementation.Algorithm);

    /// <summary>Runs <paramref name="errorCase"/>: one result per engine that expresses it, the oracle last, with any disagreement named.</summary>
    public IReadOnlyList<ErrorResult> Run(ErrorCase errorCase)
    {
        ArgumentNullException.ThrowIfNull(errorCase);
        var results = Engines.Where(e => e.Expresses(errorCase)).Select(e => Attempt(e, errorCase)).ToList();
        var oracle = results.FirstOrDefault(r => r.IsOracle);
        var refusedByConvRef = results.Where(r => !r.IsOracle && Refused(r)).ToList();
        return [.. results.Select(r => r with { Disagreement = Disagreement(r, oracle, refusedByConvRef) })];
    }

    private static bool Refused(ErrorResult r) => r.Outcome is ErrorOutcome.Refused or ErrorOutcome.WrongParameter;

    /// <summary>
    /// Every case breaks a rule PyTorch states, so when one side accepted and the other refused, the side
    /// that accepted is the wrong one; when both accepted, both are.
    /// </summary>
    private static string? Disagreement(ErrorResult r, ErrorResult? oracle, IReadOnlyList<ErrorResult> refusedByConvRef)
    {
        if (r.Outcome != ErrorOutcome.Accepted)
            return null;
        string rule = $"{(r.Case.Rule.TorchExpresses ? "PyTorch's rule" : "the rule")} ({r.Case.Rule.Statement}) refuses it";
        if (r.IsOracle)
            return refusedByConvRef.Count > 0
                ? $"ConvRef {string.Join(" and ", refusedByConvRef.Select(c => c.Implementation))} refused it and {rule}, so TorchSharp is the side that disagrees"
                : $"ConvRef accepted it too, but {rule}";
        return oracle is null ? $"TorchSharp cannot express it; {rule}"
            : Refused(oracle) ? $"TorchSharp refused it and {rule}, so {r.Implementation} is the side that disagrees"
            : $"TorchSharp accepted it too, but {rule}";
    }

    private static ErrorResult Attempt(IErrorInputEngine engine, ErrorCase errorCase)
    {
        var clock = Stopwatch.StartNew();
        var attempts = new List<ErrorAttempt>();
        foreach (var pass in new[] { ErrorPasses.Forward, ErrorPasses.Backward, ErrorPasses.DoubleBackward }.Where(p => engine.Passes(errorCase).HasFlag(p)))
        {
            try
            {
                engine.Attempt(errorCase, pass);
                attempts.Add(new ErrorAttempt(pass, ErrorOutcome.Accepted, null, ""));
            }
            catch (Exception ex) when (EngineFailure.IsOwn(ex))
            {
                attempts.Add(Judge(engine, errorCase, pass, ex));
            }
        }
        return new ErrorResult(errorCase, engine.Name, engine.IsOracle, attempts, clock.Elapsed.TotalSeconds);
    }

    private static ErrorAttempt Judge(IErrorInputEngine engine, ErrorCase errorCase, ErrorPasses pass, Exception ex)
    {
        string message = EngineFailure.Describe(ex);
        if (engine.IsOracle)
            return new ErrorAttempt(pass, ErrorOutcome.Refused, null, message);
        if (ex is not ArgumentException argument)
            return new ErrorAttempt(pass, ErrorOutcome.Crashed, null, message);
        return new ErrorAttempt(pass, ErrorRule.Names(argument.ParamName, errorCase.Parameter) ? ErrorOutcome.Refused : ErrorOutcome.WrongParameter,
            argument.ParamName, message);
    }

    /// <summary>The tensors of a case, every element 1 (the values play no part in a refusal).</summary>
    internal static (Tensor<double> Input, Tensor<double> Weights, Tensor<double>? Bias, Tensor<double> Delta) Tensors(ErrorCase c) =>
        (Ones(c.InputShape), Ones(c.WeightShape), c.BiasLength is { } b ? Ones([b]) : null, Ones(c.DeltaShape));

    private static Tensor<double> Ones(int[] shape)
    {
        var data = new double[shape.Aggregate(1, (p, d) => p * d)];
        Array.Fill(data, 1.0);
        return new Tensor<double>(shape, data);
    }

    /// <summary>
    /// ConvRef's public entry points with one algorithm: <c>Conv2d</c> for the layer, <c>Convolution</c> for the
    /// family; for a rule of ConvRef's own API the call misuses what the rule names (a caller-owned output,
    /// the backward options, the limits, the algorithm, the double backward's upstream gradients).
    /// </summary>
    private sealed class ConvRefErrorInputs(string name, Conv2dAlgorithm algorithm) : IErrorInputEngine
    {
        public string Name => name;

        public bool IsOracle => false;

        public bool Expresses(ErrorCase errorCase) => true;

        public void Attempt(ErrorCase c, ErrorPasses pass)
        {
            var (a, w, b, dy) = Tensors(c);
            var chosen = c.Rule.Token == "unknown-algorithm" ? (Conv2dAlgorithm)7 : algorithm;
            var limits = c.Rule.Token switch
            {
                "max-tensor-bytes" => new Conv2dLimits { MaxTensorBytes = 0 },
                "tensor-too-large" => new Conv2dLimits { MaxTensorBytes = 1 },
                "max-threads" => new Conv2dLimits { MaxThreads = 0 },
                "non-finite-input" or "non-finite-weights" or "non-finite-bias" or "non-finite-delta" or "non-finite-upstream" or "non-finite-z" => new Conv2dLimits { RejectNonFinite = true },
                _ => null,
            };
            // NaN, +Inf or -Inf, by the case's seed, in the tensor the rule names.
            double nonFinite = (c.Seed % 3) switch { 0 => double.NaN, 1 => double.PositiveInfinity, _ => double.NegativeInfinity };
            var poisoned = c.Rule.Token switch { "non-finite-input" => a, "non-finite-weights" => w, "non-finite-bias" => b, "non-finite-delta" => dy, _ => null };
            if (poisoned is not null)
                poisoned.Data[(int)(c.Seed % (ulong)poisoned.Length)] = nonFinite;
            var options = Options(c, a, nonFinite);
            if (c.Op.Layer && c.Rule.Token == "output-shape")
                ConvRef.Conv2d.ForwardInto(a, w, b, c.LayerSpec, Tensor<double>.Zeros([.. c.DeltaShape[..^1], c.DeltaShape[^1] + 1]), chosen, limits);
            else if (c.Op.Layer && c.Rule.Token is "gradient-shape" or "shared-storage")
                ConvRef.Conv2d.BackwardInto(a, w, dy, c.LayerSpec, new Conv2dGradients<double>(
                    c.Rule.Token == "shared-storage" ? a : Tensor<double>.Zeros([.. c.InputShape[..^1], c.InputShape[^1] + 1]), Tensor<double>.Zeros(c.WeightShape), null),
                    options, chosen, limits);
            else if (pass == ErrorPasses.DoubleBackward)
                DoubleBackward(c, a, w, b is not null, dy, options, chosen, limits, nonFinite);
            else if (c.Op.Layer && pass == ErrorPasses.Forward)
                ConvRef.Conv2d.Forward(a, w, b, c.LayerSpec, chosen, limits);
            else if (c.Op.Layer)
                ConvRef.Conv2d.Backward(a, w, b is not null, dy, c.LayerSpec, options, chosen, limits);
            else if (pass == ErrorPasses.Forward)
                c.Op.Op.Convolution().Forward(a, w, b, c.Spec, chosen, limits);
            else
                c.Op.Op.Convolution().Backward(a, w, b is not null, dy, c.Spec, options, chosen, limits);
        }

        /// <summary>The backward options a rule of ConvRef's API misuses; none otherwise. A non-finite z^(l-1) holds <paramref name="nonFinite"/> where the case's seed says.</summary>
        private static BackwardOptions<double>? Options(ErrorCase c, Tensor<double> a, double nonFinite) => c.Rule.Token switch
        {
            "non-finite-z" => new() { PreviousActivation = Activation.Tanh, PreviousZ = Poisoned(a, (int)(c.Seed % (ulong)a.Length), nonFinite) },
            "activation-needs-z" => new() { PreviousActivation = c.Seed % 2 == 0 ? Activation.ReLU : Activation.Sigmoid },
            "z-shape" => new() { PreviousActivation = Activation.Tanh, PreviousZ = Tensor<double>.Zeros([.. c.InputShape[..^1], c.InputShape[^1] + 1]) },
            "leaky-slope" => new() { PreviousActivation = Activation.LeakyReLU(double.NaN), PreviousZ = a },
            "clip-value" => new() { ClipValue = 0 },
            "unknown-activation" => new() { PreviousActivation = new Activation((ActivationKind)9), PreviousZ = a },
            _ => null,
        };

        private static Tensor<double> Poisoned(Tensor<double> t, int index, double value)
        {
            var copy = t.Clone();
            copy.Data[index] = value;
            return copy;
        }

        /// <summary>
        /// The double backward with one of gg_a, gg_w and gg_b one element too long on its last axis, or holding
        /// <paramref name="nonFinite"/>: which one goes with the operation, so the seven operations meet all three.
        /// </summary>
        private static void DoubleBackward(ErrorCase c, Tensor<double> a, Tensor<double> w, bool hasBias, Tensor<double> dy, BackwardOptions<double>? options,
            Conv2dAlgorithm chosen, Conv2dLimits? limits, double nonFinite)
        {
            int which = ErrorOp.All.ToList().IndexOf(c.Op) % (hasBias ? 3 : 2);
            int[] Shape(int[] shape, int index) => c.Rule.Token == "upstream-shape" && which == index ? [.. shape[..^1], shape[^1] + 1] : shape;
            var upstream = new Conv2dGradients<double>(Tensor<double>.Zeros(Shape(c.InputShape, 0)), Tensor<double>.Zeros(Shape(c.WeightShape, 1)),
                hasBias ? Tensor<double>.Zeros(Shape([c.WeightShape[c.Op.Op.Transposed() ? 1 : 0] * (c.Op.Op.Transposed() ? c.Spec.Groups : 1)], 2)) : null);
            if (c.Rule.Token == "non-finite-upstream")
                (which switch { 0 => upstream.Input, 1 => upstream.Weights, _ => upstream.Bias! }).Data[0] = nonFinite;
            if (c.Op.Layer)
                ConvRef.Conv2d.DoubleBackward(a, w, dy, upstream, c.LayerSpec, options, chosen, limits);
            else
                c.Op.Op.Convolution().DoubleBackward(a, w, dy, upstream, c.Spec, options, chosen, limits);
        }
    }

    /// <summary>TorchSharp's functional convolutions with autograd, as the oracle computes valid cases (<see cref="TorchConvolutions"/>).</summary>
    private sealed class TorchErrorInputs(string name) : IErrorInputEngine
    {
        public string Name => name;

        public bool IsOracle => true;

        public bool Expresses(ErrorCase errorCase) => errorCase.Rule.TorchExpresses;

        /// <summary>
        /// The backward pass alone when the rule concerns it: autograd's backward runs the same forward pass first, so its
        /// refusal is the forward pass's too, and libtorch spends tens of milliseconds on each error it raises.
        /// </summary>
        public ErrorPasses Passes(ErrorCase errorCase) =>
            errorCase.Rule.Passes.HasFlag(ErrorPasses.Backward) ? ErrorPasses.Backward : errorCase.Rule.Passes;

        public void Attempt(ErrorCase c, ErrorPasses pass)
        {
            var (a, w, b, dy) = Tensors(c);
            var op = c.Op.Op.Convolution();
            if (pass == ErrorPasses.Forward)
                TorchConvolutions.Forward(op, c.Spec, a, w, b);
            else
                TorchConvolutions.Compute(op, c.Spec, a, w, b, dy);
        }
    }
}
