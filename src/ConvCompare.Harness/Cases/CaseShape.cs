namespace ConvCompare.Cases;

/// <summary>
/// The sizes of one case's tensors: input a^(l-1) is N x C_in x H x W, the kernel is
/// C_out x C_in/G x kH x kW.
/// </summary>
/// <param name="N">Batch size.</param>
/// <param name="Cin">Input channels C_in.</param>
/// <param name="H">Input height.</param>
/// <param name="W">Input width.</param>
/// <param name="Cout">Output channels C_out (filters).</param>
/// <param name="KH">Kernel height.</param>
/// <param name="KW">Kernel width.</param>
internal sealed record CaseShape(int N, int Cin, int H, int W, int Cout, int KH, int KW);
