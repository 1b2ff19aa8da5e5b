#!/usr/bin/env python3
"""Fills a ConvCompare conformance kit: conv2d forward and backward straight from the definition.

An outside implementation for the tests of `convcompare judge`: standard library only (json, struct,
math), and nothing shared with ConvCompare but the kit's file contract (docs/kit.md). For every case of
KIT/manifest.json it reads KIT/inputs/<id>.safetensors (a, w, b, dy, z) and writes
KIT/outputs/<id>.safetensors (y, dx or delta, dw, db) in the case's dtype, computing in float64:

    y[n,o,i,j]   = b[o] + sum_{k,p,q} a[n, g*C/G + k, i*sH + p*dH - top, j*sW + q*dW - left] * w[o,k,p,q]
    dJ/da        = the same taps read backwards: every product a*w in y scatters dy[n,o,i,j]*w to a's position
    dJ/dw[o,k,p,q] = sum_{n,i,j} dy[n,o,i,j] * a[n, c, row, col]
    dJ/db[o]     = sum_{n,i,j} dy[n,o,i,j]
    delta        = dJ/da * g'(z) when the case has an activation g (a = g(z))

A case of order 2 (input tensors ggx, ggw, ggb) also gets the double backward, the gradients of
L = sum(ggx * delta) + sum(ggw * dJ/dw) + sum(ggb * dJ/db), one sum of products of three factors per tap,
with gh = ggx * g'(z) (ggx itself without an activation):

    d2x[n,c,row,col] = sum over the taps reading that position of dy[n,o,i,j] * ggw[o,k,p,q]
    d2w[o,k,p,q]     = sum_{n,i,j} gh[n,c,row,col] * dy[n,o,i,j]
    d2dy[n,o,i,j]    = ggb[o] + sum_{k,p,q} (gh[n,c,row,col] * w[o,k,p,q] + a[n,c,row,col] * ggw[o,k,p,q])

Positions outside the input are zero padding and contribute no term.

A case of the convolution family (a kit of schema_version 2: its input file's metadata has padding_mode) is
read off the same bilinear form, y = sum over the terms of a * w (+ b), for every operation, with one
value per spatial axis (L; H, W; D, H, W) and the input batched or not:

    conv:       y[n,o,x] has the term a[n, c, p] * w[o, c - first, t] for each input channel c of o's group
                and tap t, where per axis p = x*stride + t*dilation - before, read through the padding mode:
                zeros (no term), reflect (mirror without the edge), replicate (clamp), circular (wrap)
    transposed: each a[n,c,i] * w[c, o - first, t] adds into y[n, o, i*stride + t*dilation - before] when
                that position lies in the output (whose size counts output_padding)

and dJ/da, dJ/dw gather dy times the other factor over the same terms: a border copy of an input element
adds its gradient into that element. At order 2 the double backward gathers over the same terms as conv2d's
above (d2x from dy * ggw, d2w from gh * dy, d2dy from gh * w + a * ggw, plus ggb), a border copy of an
input element again adding into that element.

usage: python3 conv2d_definition.py KIT [--bug dw|db|d2w|border]
  --bug dw     plants an error: the first finite element of dJ/dw off by 1e-3 relative (plus 1e-3)
  --bug db     plants an error: dJ/db misses the last output position of every sample (an off-by-one)
  --bug d2w    plants an error: the first element of dL/dw off by 1e-3 relative (plus 1e-3)
  --bug border plants an error: dJ/da of a family case forgets the terms read through a reflect, replicate
               or circular border (the border's gradient not folded back onto the input)
"""
import itertools
import json
import math
import os
import struct
import sys

FORMATS = {"F32": "f", "F64": "d"}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack_from("<Q", data, 0)
    header = json.loads(data[8:8 + length].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, entry in header.items():
        code = FORMATS[entry["dtype"]]
        begin, end = entry["data_offsets"]
        count = (end - begin) // struct.calcsize(code)
        tensors[name] = (entry["shape"], list(struct.unpack_from("<%d%s" % (count, code), data, 8 + length + begin)))
    return metadata, tensors


def write_safetensors(path, tensors, dtype):
    header, blobs, offset = {}, [], 0
    for name, shape, values in tensors:
        blob = struct.pack("<%d%s" % (len(values), FORMATS[dtype]), *values)
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header).encode("utf-8")
    text += b" " * (-len(text) % 8)
    temporary = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".tmp")
    with open(temporary, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))
    os.replace(temporary, path)


def ints(text):
    return [int(part) for part in text.split(",")]


def derivative(activation, z, slope):
    if activation == "relu":
        return 1.0 if z > 0 else 0.0
    if activation == "lrelu":
        return 1.0 if z > 0 else slope
    if activation == "sigmoid":
        s = 1.0 / (1.0 + math.exp(-z))
        return s * (1.0 - s)
    if activation == "tanh":
        t = math.tanh(z)
        return 1.0 - t * t
    return 1.0


def conv2d(metadata, tensors, gh=None):
    (n_, c_, h_, w_), a = tensors["a"]
    (o_, cg, kh, kw), w = tensors["w"]
    (_, _, ho, wo), dy = tensors["dy"]
    b = tensors["b"][1] if "b" in tensors else None
    sh, sw = ints(metadata["stride"])
    top, _, left, _ = ints(metadata["padding"])
    dh, dw_ = ints(metadata["dilation"])
    og = o_ // int(metadata["groups"])
    y = [0.0] * (n_ * o_ * ho * wo)
    da = [0.0] * len(a)
    dw = [0.0] * len(w)
    db = [0.0] * o_
    second = gh is not None
    if second:
        ggw = tensors["ggw"][1]
        ggb = tensors["ggb"][1] if "ggb" in tensors else None
        d2x = [0.0] * len(a)
        d2w = [0.0] * len(w)
        d2dy = [0.0] * len(dy)
    for n in range(n_):
        for o in range(o_):
            first = o // og * cg
            for i in range(ho):
                for j in range(wo):
                    at = ((n * o_ + o) * ho + i) * wo + j
                    g = dy[at]
                    s = b[o] if b is not None else 0.0
                    t = ggb[o] if second and ggb is not None else 0.0
                    for k in range(cg):
                        for p in range(kh):
                            row = i * sh + p * dh - top
                            if row < 0 or row >= h_:
                                continue
                            for q in range(kw):
                                col = j * sw + q * dw_ - left
                                if col < 0 or col >= w_:
                                    continue
                                ai = ((n * c_ + first + k) * h_ + row) * w_ + col
                                wi = ((o * cg + k) * kh + p) * kw + q
                                s += a[ai] * w[wi]
                                da[ai] += g * w[wi]
                                dw[wi] += g * a[ai]
                                if second:
                                    d2x[ai] += g * ggw[wi]
                                    d2w[wi] += gh[ai] * g
                                    t += gh[ai] * w[wi] + a[ai] * ggw[wi]
                    y[at] = s
                    if second:
                        d2dy[at] = t
                    db[o] += g
    return y, da, dw, (db if b is not None else None), ((d2x, d2w, d2dy) if second else None)


def border(p, size, mode):
    """The input position the padded position p holds, or None where the padding holds zeros."""
    if 0 <= p < size:
        return p
    if mode == "reflect":
        return -p if p < 0 else 2 * (size - 1) - p
    if mode == "replicate":
        return 0 if p < 0 else size - 1
    if mode == "circular":
        return p % size
    return None


def flat(index, sizes):
    at = 0
    for i, size in zip(index, sizes):
        at = at * size + i
    return at


def family(metadata, tensors, bug, gh=None):
    op = metadata["op"]
    rank = int(op[-2])
    transposed = op.startswith("conv_transpose")
    a_shape, a = tensors["a"]
    w_shape, w = tensors["w"]
    dy_shape, dy = tensors["dy"]
    batched = len(a_shape) == rank + 2
    if not batched:
        a_shape, dy_shape = [1] + a_shape, [1] + dy_shape
    samples, channels, inputs = a_shape[0], a_shape[1], a_shape[2:]
    filters, outputs, kernel = dy_shape[1], dy_shape[2:], w_shape[2:]
    groups = int(metadata["groups"])
    stride, dilation = ints(metadata["stride"]), ints(metadata["dilation"])
    if metadata["padding"] == "same":
        before = [d * (k - 1) // 2 for d, k in zip(dilation, kernel)]
    elif metadata["padding"] == "valid":
        before = [0] * rank
    else:
        before = ints(metadata["padding"])[0::2]
    mode = metadata["padding_mode"]
    b = tensors["b"][1] if "b" in tensors else None
    y, da, dw = [0.0] * len(dy), [0.0] * len(a), [0.0] * len(w)
    order2 = gh is not None
    if order2:
        ggw = tensors["ggw"][1]
        d2x, d2w, d2dy = [0.0] * len(a), [0.0] * len(w), [0.0] * len(dy)
    in_group, out_group = channels // groups, filters // groups
    for n in range(samples):
        if transposed:
            walk = [(c, i, o, c * out_group + o - c // in_group * out_group)
                    for c in range(channels) for i in itertools.product(*map(range, inputs))
                    for o in range(c // in_group * out_group, (c // in_group + 1) * out_group)]
        else:
            walk = [(o, x, c, o * in_group + c - o // out_group * in_group)
                    for o in range(filters) for x in itertools.product(*map(range, outputs))
                    for c in range(o // out_group * in_group, (o // out_group + 1) * in_group)]
        for first, position, second, weight_row in walk:
            for t in itertools.product(*map(range, kernel)):
                reached = [position[i] * stride[i] + t[i] * dilation[i] - before[i] for i in range(rank)]
                if transposed:
                    if any(not 0 <= r < size for r, size in zip(reached, outputs)):
                        continue
                    c, o, ai, yi = first, second, flat(position, inputs), flat(reached, outputs)
                    copied = False
                else:
                    mapped = [border(r, size, mode) for r, size in zip(reached, inputs)]
                    if None in mapped:
                        continue
                    o, c, ai, yi = first, second, flat(mapped, inputs), flat(position, outputs)
                    copied = mapped != reached
                at_a = (n * channels + c) * len(a) // (samples * channels) + ai
                at_y = (n * filters + o) * len(dy) // (samples * filters) + yi
                at_w = weight_row * len(w) // w_shape[0] // w_shape[1] + flat(t, kernel)
                y[at_y] += a[at_a] * w[at_w]
                if not (bug == "border" and copied):
                    da[at_a] += dy[at_y] * w[at_w]
                dw[at_w] += dy[at_y] * a[at_a]
                if order2:
                    d2x[at_a] += dy[at_y] * ggw[at_w]
                    d2w[at_w] += gh[at_a] * dy[at_y]
                    d2dy[at_y] += gh[at_a] * w[at_w] + a[at_a] * ggw[at_w]
    plane = len(dy) // (samples * filters)
    db = [0.0] * filters
    for at, g in enumerate(dy):
        db[at // plane % filters] += g
        if b is not None:
            y[at] += b[at // plane % filters]
        if order2 and "ggb" in tensors:
            d2dy[at] += tensors["ggb"][1][at // plane % filters]
    return y, da, dw, (db if b is not None else None), ((d2x, d2w, d2dy) if order2 else None)


def main():
    kit = sys.argv[1]
    bug = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--bug" else None
    with open(os.path.join(kit, "manifest.json"), "r", encoding="utf-8") as f:
        manifest = json.load(f)
    for case in manifest["cases"]:
        metadata, tensors = read_safetensors(os.path.join(kit, case["input"]))
        activation = metadata["activation"]
        slope = float(metadata.get("leaky_slope", "0.01"))
        gh = None
        if "ggx" in tensors:
            gh = tensors["ggx"][1]
            if activation != "none":
                gh = [g * derivative(activation, z, slope) for g, z in zip(gh, tensors["z"][1])]
        if "padding_mode" in metadata:
            y, da, dw, db, d2 = family(metadata, tensors, bug, gh)
        else:
            y, da, dw, db, d2 = conv2d(metadata, tensors, gh)
        if activation != "none":
            da = [d * derivative(activation, z, slope) for d, z in zip(da, tensors["z"][1])]
        if bug == "dw":
            first = next(i for i, v in enumerate(dw) if math.isfinite(v))
            dw[first] += 1e-3 * (abs(dw[first]) + 1.0)
        if bug == "db" and db is not None:
            shape, dy = tensors["dy"]
            rank = int(metadata["op"][-2])
            filters, plane = len(db), math.prod(shape[-rank:])
            samples = len(dy) // (plane * filters)
            db = [d - sum(dy[(n * filters + o) * plane + plane - 1] for n in range(samples)) for o, d in enumerate(db)]
        outputs = [
            ("y", tensors["dy"][0], y),
            ("dx" if activation == "none" else "delta", tensors["a"][0], da),
            ("dw", tensors["w"][0], dw),
        ]
        if db is not None:
            outputs.append(("db", tensors["b"][0], db))
        if d2 is not None:
            d2x, d2w, d2dy = d2
            if bug == "d2w":
                d2w[0] += 1e-3 * (abs(d2w[0]) + 1.0)
            outputs += [("d2x", tensors["a"][0], d2x), ("d2w", tensors["w"][0], d2w), ("d2dy", tensors["dy"][0], d2dy)]
        dtype = "F32" if metadata["dtype"] == "float32" else "F64"
        write_safetensors(os.path.join(kit, case["output"]), outputs, dtype)


if __name__ == "__main__":
    main()
