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

Positions outside the input are zero padding and contribute no term.

usage: python3 conv2d_definition.py KIT [--bug dw|db]
  --bug dw   plants an error: the first finite element of dJ/dw off by 1e-3 relative (plus 1e-3)
  --bug db   plants an error: dJ/db misses the last output position of every sample (an off-by-one)
"""
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


def conv2d(metadata, tensors):
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
    for n in range(n_):
        for o in range(o_):
            first = o // og * cg
            for i in range(ho):
                for j in range(wo):
                    at = ((n * o_ + o) * ho + i) * wo + j
                    g = dy[at]
                    s = b[o] if b is not None else 0.0
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
                    y[at] = s
                    db[o] += g
    return y, da, dw, (db if b is not None else None)


def main():
    kit = sys.argv[1]
    bug = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--bug" else None
    with open(os.path.join(kit, "manifest.json"), "r", encoding="utf-8") as f:
        manifest = json.load(f)
    for case in manifest["cases"]:
        metadata, tensors = read_safetensors(os.path.join(kit, case["input"]))
        y, da, dw, db = conv2d(metadata, tensors)
        activation = metadata["activation"]
        if activation != "none":
            slope = float(metadata.get("leaky_slope", "0.01"))
            da = [d * derivative(activation, z, slope) for d, z in zip(da, tensors["z"][1])]
        if bug == "dw":
            first = next(i for i, v in enumerate(dw) if math.isfinite(v))
            dw[first] += 1e-3 * (abs(dw[first]) + 1.0)
        if bug == "db" and db is not None:
            (samples, filters, ho, wo), dy = tensors["dy"]
            last = ho * wo - 1
            db = [d - sum(dy[(n * filters + o) * (ho * wo) + last] for n in range(samples)) for o, d in enumerate(db)]
        outputs = [
            ("y", tensors["dy"][0], y),
            ("dx" if activation == "none" else "delta", tensors["a"][0], da),
            ("dw", tensors["w"][0], dw),
        ]
        if db is not None:
            outputs.append(("db", tensors["b"][0], db))
        dtype = "F32" if metadata["dtype"] == "float32" else "F64"
        write_safetensors(os.path.join(kit, case["output"]), outputs, dtype)


if __name__ == "__main__":
    main()
