namespace ConvCompare.Implementations;

/// <summary>
/// An operation of the convolution family, named as PyTorch's functions. An implementation declares the
/// ones it computes (<see cref="IConvolutionFamilyImplementation.Operations"/>,
/// <see cref="ISecondOrderImplementation.SecondOrderOperations"/>); the harness gives it only cases of those.
/// </summary>
public enum ConvOperation
{
    /// <summary><c>conv1d</c>: input N x C_in x L, weights C_out x C_in/G x k.</summary>
    Conv1d,

    /// <summary><c>conv2d</c>: input N x C_in x H x W, weights C_out x C_in/G x kH x kW.</summary>
    Conv2d,

    /// <summary><c>conv3d</c>: input N x C_in x D x H x W, weights C_out x C_in/G x kD x kH x kW.</summary>
    Conv3d,

    /// <summary><c>conv_transpose1d</c>: weights C_in x C_out/G x k.</summary>
    ConvTranspose1d,

    /// <summary><c>conv_transpose2d</c>: weights C_in x C_out/G x kH x kW; its forward is Eq 8's full convolution.</summary>
    ConvTranspose2d,

    /// <summary><c>conv_transpose3d</c>: weights C_in x C_out/G x kD x kH x kW.</summary>
    ConvTranspose3d,
}
