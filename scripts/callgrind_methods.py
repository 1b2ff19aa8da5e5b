#!/usr/bin/env python3
"""Per-method self cost of one callgrind run of a .NET process, JIT-compiled methods named.

callgrind cannot name JIT-compiled code; the runtime's perf map (DOTNET_PerfMapEnabled=1 writes
/tmp/perf-<pid>.map: start, size, name per method) can. This reads a callgrind file written with
--dump-instr=yes --dump-line=no and attributes each instruction's self cost to the method whose
range holds it, or to callgrind's own function name (native code: the runtime, libc).

usage: callgrind_methods.py CALLGRIND_OUT PERF_MAP  ->  prints 'event<TAB>cost<TAB>name' lines
"""
import bisect
import re
import sys


def load_map(path):
    entries = []
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split(" ", 2)
            if len(parts) == 3:
                entries.append((int(parts[0], 16), int(parts[1], 16), parts[2]))
    entries.sort()
    return [e[0] for e in entries], entries


def short(name):
    # "void [ConvRef] ConvRef.Kernels.MicroKernels::Gemm(valuetype ...)[Optimized]" -> "ConvRef.Kernels.MicroKernels::Gemm";
    # runtime stubs ("stub ReportStubBlock<...>") keep their whole name
    m = re.search(r"(\S+::[^(\s]+)", name)
    return re.sub(r"`1\[System\.(Single|Double)\]", "", m.group(1)) if m else name


def main(out_path, map_path):
    starts, entries = load_map(map_path)
    names = {}
    events = []
    totals = {}
    fn = "?"
    addr = 0
    skip_next = False

    def compress(kind, text):
        # "(id) name" defines an id, "(id)" reuses it
        m = re.match(r"\((\d+)\)(?:\s+(.*))?", text)
        if not m:
            return text
        key = (kind, m.group(1))
        if m.group(2):
            names[key] = m.group(2)
        return names.get(key, text)

    with open(out_path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("events:"):
                events = line.split()[1:]
                continue
            if line.startswith("fn="):
                fn = compress("fn", line[3:])
                continue
            if line.startswith(("cfn=", "cfi=", "cob=")):
                if line.startswith("cfn="):
                    compress("fn", line[4:])
                continue
            if line.startswith("calls="):
                skip_next = True
                continue
            if not line or not (line[0] in "+-*0123456789"):
                continue
            parts = line.split()
            pos = parts[0]
            if pos.startswith("0x"):
                addr = int(pos, 16)
            elif pos.startswith("+"):
                addr += int(pos[1:], 16) if pos[1:].startswith("0x") else int(pos[1:])
            elif pos.startswith("-"):
                addr -= int(pos[1:], 16) if pos[1:].startswith("0x") else int(pos[1:])
            elif pos != "*":
                addr = int(pos)
            if skip_next:
                skip_next = False
                continue
            i = bisect.bisect_right(starts, addr) - 1
            if i >= 0 and addr < entries[i][0] + entries[i][1]:
                name = short(entries[i][2])
            else:
                name = fn
            costs = totals.setdefault(name, [0] * len(events))
            for k, c in enumerate(parts[1:]):
                costs[k] += int(c)
    for name, costs in totals.items():
        for k, c in enumerate(costs):
            if c:
                print(f"{events[k]}\t{c}\t{name}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
