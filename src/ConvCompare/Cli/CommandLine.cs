using System.CommandLine;
using ConvCompare.Oracles;
using TorchSharp;

namespace ConvCompare.Cli;

/// <summary>The <c>convcompare</c> command tree.</summary>
internal static class CommandLine
{
    public static int Run(string[] args)
    {
        var root = new RootCommand("ConvCompare: checks ConvRef's convolution back-propagation against TorchSharp autograd.");
        var run = new Command("run", "Run the comparison sweep.");
        run.SetAction(_ => RunSmoke());
        root.Subcommands.Add(run);
        root.Subcommands.Add(TrainCommand.Create());
        return root.Parse(args).Invoke();
    }

    private static int RunSmoke()
    {
        if (TorchRuntime.Problem is { } problem)
        {
            Console.Error.WriteLine(problem);
            return 3;
        }
        Console.WriteLine($"TorchSharp {TorchRuntime.TorchSharpVersion}, libtorch {TorchRuntime.LibTorchVersion}");
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(9, torch.float64).reshape(1, 1, 3, 3);
        var w = torch.tensor(new double[] { 1, 2, 3, 4 }, [1, 1, 2, 2], requires_grad: true);
        var y = torch.nn.functional.conv2d(x, w);
        y.sum().backward();
        Console.WriteLine("smoke: conv2d forward " + string.Join(",", y.data<double>().ToArray()) +
                          "; dJ/dw " + string.Join(",", w.grad!.data<double>().ToArray()));
        return 0;
    }
}
