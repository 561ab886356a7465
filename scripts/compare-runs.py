#!/usr/bin/env python3
"""Compares two training folders: the losses of their log.jsonl lines and the weights of
their last.safetensors, each as the largest relative difference (for weights, per tensor:
the largest absolute difference over the largest absolute value). Prints both figures and
exits 1 if either is above the tolerance given (0 asks for bitwise equality).

usage: compare-runs.py DIR_A DIR_B TOLERANCE"""
import json
import struct
import sys
from array import array


def losses(folder):
    with open(f"{folder}/log.jsonl") as f:
        lines = [json.loads(line) for line in f if line.strip()]
    return [(line["step"], line["train_loss"], line["valid_loss"]) for line in lines]


def tensors(folder):
    with open(f"{folder}/last.safetensors", "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    body = data[8 + length:]
    result = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        values = array("f")
        values.frombytes(body[start:end])
        result[name] = values
    return result


def relative(a, b):
    return abs(a - b) / max(abs(b), 1e-30)


def main():
    a, b, tolerance = sys.argv[1], sys.argv[2], float(sys.argv[3])
    log_a, log_b = losses(a), losses(b)
    if [s for s, _, _ in log_a] != [s for s, _, _ in log_b]:
        print(f"FAIL: the logs validate at different steps: {[s for s, _, _ in log_a]} and {[s for s, _, _ in log_b]}")
        sys.exit(1)
    loss_difference = max((max(relative(x[1], y[1]), relative(x[2], y[2])) for x, y in zip(log_a, log_b)), default=0)
    weights_a, weights_b = tensors(a), tensors(b)
    if sorted(weights_a) != sorted(weights_b):
        print("FAIL: the weights files hold different tensors")
        sys.exit(1)
    weight_difference = 0.0
    for name, x in weights_a.items():
        y = weights_b[name]
        largest = max(max(abs(v) for v in y), 1e-30)
        weight_difference = max(weight_difference, max(abs(p - q) for p, q in zip(x, y)) / largest)
    print(f"{len(log_a)} validations; largest relative difference: losses {loss_difference:.3g}, "
          f"weights {weight_difference:.3g} (tolerance {tolerance:g})")
    sys.exit(0 if loss_difference <= tolerance and weight_difference <= tolerance else 1)


main()
