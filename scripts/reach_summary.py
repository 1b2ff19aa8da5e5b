"""Summarizes two cobertura reports of src/ConvRef (the default sweep's, the whole suite's) for scripts/reach.sh.

A line counts once however many classes (lambdas, generic instantiations, state machines) the
compiler made of it: reached when any of them reached it; its branches are the most any of them saw.
"""
import re
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict

# The files the default sweep's 2-D convolution runs through; the convolution family's own files
# (1-D/3-D, transposed, padding modes), which the sweep's family cases run through; Training/ holds the
# training layers and the optimizer, which are not convolutions and which the sweep does not generate.
CONV2D_PATH = {
    "Kernels/BackwardEpilogue.cs", "Kernels/BackwardJob.cs", "Kernels/MicroKernels.cs", "Kernels/Parallelism.cs",
    "Kernels/PhasePlanes.cs", "Kernels/Plane.cs", "Kernels/SerialConv2d.cs", "Kernels/Simd.cs", "Kernels/VectorOps.cs",
    "Kernels/VectorizedConv2d.cs",
    "Layers/Activation.cs", "Layers/BackwardOptions.cs", "Layers/Conv2d.cs", "Layers/Conv2dAlgorithm.cs",
    "Layers/Conv2dArgumentException.cs", "Layers/Conv2dGeometry.cs", "Layers/Conv2dGradients.cs", "Layers/Conv2dLimits.cs",
    "Layers/Conv2dSpec.cs", "Layers/ConvValidation.cs", "Tensors/Tensor.cs",
}

FAMILY_PATH = {
    "Kernels/Border.cs", "Kernels/ConvolutionPasses.cs", "Kernels/PlanarEngine.cs",
    "Kernels/PlanarLowering.cs", "Layers/Convolution.cs", "Layers/ConvGeometry.cs", "Layers/ConvPadding.cs",
    "Layers/ConvSpec.cs", "Layers/PaddingMode.cs", "Layers/SpecNames.cs",
}


def load(path):
    """(file relative to src/ConvRef) -> line number -> (hits, branches covered, branches)."""
    root = ET.parse(path).getroot()
    sources = [s.text for s in root.iter("source")]
    lines = defaultdict(dict)
    for cls in root.iter("class"):
        name = cls.get("filename").replace("\\", "/")
        for source in sources:
            full = (source.rstrip("/") + "/" + name) if source else name
            if "src/ConvRef/" in full:
                name = full.split("src/ConvRef/", 1)[1]
                break
        for line in cls.iter("line"):
            number = int(line.get("number"))
            hits = int(line.get("hits"))
            covered, total = 0, 0
            if line.get("branch") == "True":
                m = re.search(r"\((\d+)/(\d+)\)", line.get("condition-coverage", ""))
                if m:
                    covered, total = int(m.group(1)), int(m.group(2))
            old = lines[name].get(number, (0, 0, 0))
            lines[name][number] = (max(old[0], hits), max(old[1], covered), max(old[2], total))
    return lines


def figures(lines, files):
    lt = lc = bt = bc = 0
    for f in files:
        for hits, covered, total in lines.get(f, {}).values():
            lt += 1
            lc += hits > 0
            bt += total
            bc += covered
    return lc, lt, bc, bt


def fmt(lc, lt, bc, bt):
    lp = 100.0 * lc / lt if lt else 100.0
    bp = 100.0 * bc / bt if bt else 100.0
    return f"lines {lc}/{lt} ({lp:.1f}%), branches {bc}/{bt} ({bp:.1f}%)"


def main(sweep_path, suite_path):
    sweep, suite = load(sweep_path), load(suite_path)
    files = sorted(set(sweep) | set(suite))
    groups = [
        ("src/ConvRef (all)", files),
        ("Kernels/", [f for f in files if f.startswith("Kernels/")]),
        ("Layers/", [f for f in files if f.startswith("Layers/")]),
        ("conv2d path (files the sweep's layer runs through)", [f for f in files if f in CONV2D_PATH]),
        ("  of it in Kernels/", [f for f in files if f in CONV2D_PATH and f.startswith("Kernels/")]),
        ("  of it in Layers/", [f for f in files if f in CONV2D_PATH and f.startswith("Layers/")]),
        ("the family's files", [f for f in files if f in FAMILY_PATH]),
        ("Training/ (pooling, dense, flatten, loss, SGD: not the convolution)", [f for f in files if f.startswith("Training/")]),
        ("the rest (second order)", [f for f in files if f not in CONV2D_PATH and f not in FAMILY_PATH and not f.startswith("Training/")]),
    ]
    print("\n== reach of src/ConvRef ==")
    for title, group in groups:
        print(f"{title}")
        print(f"    default sweep: {fmt(*figures(sweep, group))}")
        print(f"    dotnet test:   {fmt(*figures(suite, group))}")
    print("\n== per file: default sweep | dotnet test ==")
    for f in files:
        print(f"{f:40s} {fmt(*figures(sweep, [f])):50s} | {fmt(*figures(suite, [f]))}")
    print("\n== lines of Kernels/ and Layers/ the default sweep does not reach (hits in dotnet test) ==")
    for f in files:
        if not f.startswith(("Kernels/", "Layers/")):
            continue
        missed = sorted(n for n, (hits, _, _) in sweep.get(f, {}).items() if hits == 0)
        partial = sorted(n for n, (hits, c, t) in sweep.get(f, {}).items() if hits > 0 and c < t)
        if missed:
            print(f"{f}: lines " + ", ".join(f"{n}({suite.get(f, {}).get(n, (0,))[0]})" for n in missed))
        if partial:
            print(f"{f}: partly taken branches at lines " + ", ".join(str(n) for n in partial))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
