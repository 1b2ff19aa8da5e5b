namespace ConvCompare.Snapshots;

/// <summary>One named snapshot scenario: a harness case id and the hyperparameter class it pins down.</summary>
/// <param name="Name">File name under <c>snapshots/scenarios/</c>.</param>
/// <param name="CaseId">The harness case id (configuration and value seed; see <see cref="Cases.CaseId"/>).</param>
/// <param name="Covers">What the scenario is there for.</param>
internal sealed record Scenario(string Name, string CaseId, string Covers);

/// <summary>
/// The fixed scenario set. Together the rows cover every hyperparameter class the harness generates:
/// stride (including strides that leave rows and columns uncovered), padding (symmetric, asymmetric,
/// wider than the kernel), dilation, groups and depthwise, no bias, each activation, clipping, both
/// dtypes, batch 1 and larger, single-row inputs, 1x1 kernels and kernels as large as the padded
/// input. Shapes are small so the whole set (ConvRef, TorchSharp and the numeric check) runs in
/// seconds; a few are large enough to be stored as statistics rather than in full.
/// </summary>
/// <remarks>
/// Columns: name, case id (n N c C_in h H w W - o C_out k kH x kW - s sH x sW - p top,bottom,left,right
/// - d dH x dW - g G - dtype [- nb] [- activation] [- clip c] [- order2] - v value seed), what it covers.
/// Changing a row changes its snapshot: add rows rather than edit them.
/// </remarks>
internal static class ScenarioTable
{
    /// <summary>Every scenario, in file order.</summary>
    public static IReadOnlyList<Scenario> All { get; } =
    [
        new("baseline-3x3-f64", "n1c1h5w5-o1k3x3-s1x1-p0,0,0,0-d1x1-g1-f64-v1", "plain valid convolution, one channel, float64"),
        new("baseline-3x3-f32", "n1c1h5w5-o1k3x3-s1x1-p0,0,0,0-d1x1-g1-f32-v1", "plain valid convolution, one channel, float32"),
        new("multichannel-f64", "n2c3h6w5-o4k3x2-s1x1-p0,0,0,0-d1x1-g1-f64-v2", "several input and output channels, non-square kernel and image, float64"),
        new("multichannel-f32", "n2c3h6w5-o4k3x2-s1x1-p0,0,0,0-d1x1-g1-f32-v2", "several input and output channels, float32"),
        new("stride2-covered", "n1c2h7w7-o3k3x3-s2x2-p0,0,0,0-d1x1-g1-f64-v3", "stride 2 that covers the whole input"),
        new("stride-uncovered-row-and-column", "n1c2h8w7-o2k3x3-s2x3-p0,0,0,0-d1x1-g1-f64-v4", "stride 2x3 leaving the last row and column uncovered (zero dJ/da there)"),
        new("stride4-uncovered-rows-f32", "n2c1h9w10-o2k2x2-s4x4-p0,0,0,0-d1x1-g1-f32-v5", "stride 4 leaving three rows and columns uncovered, float32"),
        new("stride-non-square", "n1c2h9w6-o2k2x3-s3x1-p0,0,0,0-d1x1-g1-f64-v6", "different vertical and horizontal strides"),
        new("padding-symmetric", "n1c2h5w5-o2k3x3-s1x1-p1,1,1,1-d1x1-g1-f64-v7", "'same' padding 1 on every side"),
        new("padding-asymmetric", "n1c2h5w6-o3k3x2-s1x1-p2,0,1,3-d1x1-g1-f64-v8", "different padding on each side"),
        new("padding-wider-than-kernel", "n1c1h4w4-o2k2x2-s1x1-p3,3,3,3-d1x1-g1-f64-v9", "padding 3 around a 2x2 kernel: output rows that see only zeros"),
        new("padding-wider-than-1x1-kernel-f32", "n1c2h3w3-o2k1x1-s1x1-p2,1,3,0-d1x1-g1-f32-v10", "asymmetric padding around a 1x1 kernel, float32"),
        new("padding-with-stride", "n2c2h6w7-o2k3x3-s2x2-p1,2,0,1-d1x1-g1-f64-v11", "asymmetric padding combined with stride 2"),
        new("dilation2", "n1c2h7w7-o2k3x3-s1x1-p0,0,0,0-d2x2-g1-f64-v12", "dilation 2 (Interleave of the kernel)"),
        new("dilation-non-square", "n1c1h9w8-o2k2x3-s1x1-p1,0,0,1-d3x2-g1-f64-v13", "dilation 3x2 with asymmetric padding"),
        new("dilation-stride-padding-f32", "n2c2h9w9-o2k3x3-s2x2-p2,2,2,2-d2x2-g1-f32-v14", "dilation, stride and padding together, float32"),
        new("groups2", "n1c4h5w5-o4k3x3-s1x1-p1,1,1,1-d1x1-g2-f64-v15", "two groups"),
        new("groups2-three-filters-each", "n1c4h5w4-o6k2x2-s1x1-p0,0,0,0-d1x1-g2-f64-v16", "two groups of two input channels and three filters"),
        new("depthwise", "n2c3h6w6-o3k3x3-s1x1-p1,1,1,1-d1x1-g3-f64-v17", "depthwise: groups = C_in = C_out"),
        new("depthwise-multiplier2-f32", "n1c2h5w5-o4k3x3-s1x1-p0,0,0,0-d1x1-g2-f32-v18", "depthwise with two filters per channel, float32"),
        new("no-bias-f64", "n1c2h5w5-o2k3x3-s1x1-p0,0,0,0-d1x1-g1-f64-nb-v19", "layer without bias (no dJ/db)"),
        new("no-bias-f32", "n2c3h4w4-o2k2x2-s1x1-p0,0,0,0-d1x1-g1-f32-nb-v20", "layer without bias, float32"),
        new("relu-f64", "n1c2h5w5-o2k3x3-s1x1-p0,0,0,0-d1x1-g1-f64-relu-v21", "delta^(l-1) through ReLU' (Eq 6)"),
        new("relu-f32", "n1c2h5w5-o2k3x3-s1x1-p0,0,0,0-d1x1-g1-f32-relu-v37", "delta^(l-1) through ReLU', float32"),
        new("leaky-relu-f64", "n1c2h5w5-o2k3x3-s1x1-p0,0,0,0-d1x1-g1-f64-lrelu-v22", "delta^(l-1) through leaky ReLU' (slope 0.01)"),
        new("leaky-relu-f32", "n1c2h5w5-o2k3x3-s1x1-p0,0,0,0-d1x1-g1-f32-lrelu-v38", "delta^(l-1) through leaky ReLU', float32"),
        new("sigmoid-f64", "n1c2h5w5-o2k3x3-s1x1-p0,0,0,0-d1x1-g1-f64-sigmoid-v23", "delta^(l-1) through sigmoid'"),
        new("sigmoid-f32", "n1c2h5w5-o2k3x3-s1x1-p0,0,0,0-d1x1-g1-f32-sigmoid-v25", "delta^(l-1) through sigmoid', float32"),
        new("tanh-f64", "n1c2h5w5-o2k3x3-s1x1-p0,0,0,0-d1x1-g1-f64-tanh-v24", "delta^(l-1) through tanh'"),
        new("tanh-f32", "n1c2h5w5-o2k3x3-s1x1-p0,0,0,0-d1x1-g1-f32-tanh-v26", "delta^(l-1) through tanh', float32"),
        new("clip-f64", "n2c2h6w6-o2k3x3-s1x1-p0,0,0,0-d1x1-g1-f64-clip0.25-v27", "dJ/dw clipped to [-0.25, 0.25] (many elements at the clip)"),
        new("clip-f32", "n2c2h6w6-o2k3x3-s1x1-p0,0,0,0-d1x1-g1-f32-clip0.5-v28", "dJ/dw clipped to [-0.5, 0.5], float32"),
        new("clip-with-relu", "n1c3h5w5-o2k3x3-s1x1-p1,1,1,1-d1x1-g1-f64-relu-clip1-v29", "clipping and an activation together"),
        new("batch8-f64", "n8c2h8w8-o3k3x3-s1x1-p1,1,1,1-d1x1-g1-f64-v30", "batch 8: tensors stored as statistics"),
        new("batch6-strided-f32", "n6c3h10w9-o4k3x3-s2x1-p1,1,0,0-d1x1-g1-f32-v31", "batch 6 with stride and padding, float32: statistics"),
        new("single-row-input", "n2c2h1w9-o2k1x3-s1x2-p0,0,0,0-d1x1-g1-f64-v32", "input of height 1"),
        new("kernel-fills-padded-input", "n1c2h4w5-o2k5x6-s1x1-p1,0,0,1-d1x1-g1-f64-v33", "kernel as large as the padded input: 1x1 output"),
        new("one-by-one-kernel", "n2c3h4w4-o2k1x1-s1x1-p0,0,0,0-d1x1-g1-f64-v34", "1x1 kernel (a per-pixel matrix product)"),
        new("everything-f64", "n3c4h9w7-o6k3x2-s2x1-p1,0,2,1-d1x2-g2-f64-tanh-clip0.5-v35", "stride, asymmetric padding, dilation, groups, tanh and clipping at once"),
        new("everything-f32", "n3c4h9w7-o6k3x2-s2x1-p1,0,2,1-d1x2-g2-f32-nb-lrelu-clip0.5-v36", "the same without bias, leaky ReLU, float32"),
        new("second-order-tanh-f64", "n2c3h6w5-o4k3x2-s1x1-p1,0,1,1-d1x2-g1-f64-tanh-order2-v41", "the double backward (d2x, d2w, d2dy) and the numeric second-order check, through tanh' with dilation and asymmetric padding"),
        new("second-order-grouped-f32", "n1c4h5w5-o4k3x3-s2x2-p1,1,1,1-d1x1-g2-f32-relu-order2-v42", "the double backward with stride 2, two groups and ReLU, float32"),
        new("conv1d-reflect", "conv1d-n2c2w9-o3k3-s1-p2,1-d1-g1-reflect-f64-v41", "conv1d with reflect padding: the mirrored border's gradient folded back"),
        new("conv1d-same-even-kernel", "conv1d-n1c2w8-o2k4-s1-psame-d2-g2-f64-v42", "conv1d padding 'same' with an even kernel and dilation 2, two groups"),
        new("conv2d-replicate-unbatched", "conv2d-n1c2h5w6-o3k3x2-s2x1-p1,2,0,1-d1x1-g1-replicate-ub-f64-v43", "conv2d on an unbatched input with replicate padding and stride"),
        new("conv2d-circular-f32", "conv2d-n2c2h5w5-o2k3x3-s1x1-p1,1,2,2-d1x1-g1-circular-f32-v44", "conv2d with circular padding (wrapped border), float32"),
        new("conv2d-valid", "conv2d-n1c3h5w5-o2k2x3-s1x1-pvalid-d1x1-g1-f64-v45", "conv2d padding 'valid'"),
        new("conv3d", "conv3d-n1c2d4h4w4-o2k2x3x3-s2x1x1-p1,0,1,1,0,1-d1x1x2-g2-f64-v46", "conv3d with stride, padding per side, dilation and two groups"),
        new("conv3d-reflect-same", "conv3d-n1c1d3h4w4-o2k3x3x3-s1x1x1-psame-d1x1x1-g1-reflect-f64-relu-v47", "conv3d padding 'same' in reflect mode, ReLU below"),
        new("conv-transpose1d", "conv_transpose1d-n2c2w4-o4k3-s2-p1,1-op1-d1-g2-f64-v48", "conv_transpose1d with output padding and two groups"),
        new("conv-transpose2d", "conv_transpose2d-n1c3h4w4-o3k3x3-s2x2-p2,2,2,2-op1x1-d1x1-g1-f64-v49", "conv_transpose2d: stride 2, padding 2, output padding 1"),
        new("conv-transpose2d-dilated-f32", "conv_transpose2d-n2c2h4w4-o4k4x5-s3x2-p1,1,2,2-op2x3-d4x4-g2-f32-v50", "conv_transpose2d with output padding at least the stride but below the dilation, two groups, float32"),
        new("conv-transpose3d", "conv_transpose3d-n1c2d2h3w3-o2k2x2x2-s2x1x2-p0,0,1,1,0,0-op1x0x1-d1x1x1-g1-f64-tanh-v51", "conv_transpose3d with output padding, tanh below"),
    ];
}
