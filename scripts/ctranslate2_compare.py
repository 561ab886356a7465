#!/usr/bin/env python3
"""Converts a Transformer checkpoint of ours into a CTranslate2 model, checks that
CTranslate2 translates as we do, and times both on the same sentences.

    python scripts/ctranslate2_compare.py CHECKPOINT TEST_PREFIX [--weights best]
        [--out DIR] [--threads 2] [--nmt .build/release/nmt]

Needs `pip install ctranslate2 numpy` (CTranslate2's Python model-spec API, float32 on the
CPU). The conversion maps the tensors of the design's Transformer table onto
CTranslate2's pre-norm TransformerSpec:

- embeddings scaled by sqrt(d) (`scale_embeddings`), our sinusoidal table (sin at even,
  cos at odd dimensions) given as the position encodings;
- each layer's `in_proj_weight` rows (query, key, value) as one fused projection for
  self-attention, and split into query and fused key-value for encoder-decoder attention;
- norm1/norm2(/norm3) as the layer norms before attention(s) and feed-forward, the final
  `encoder.norm` and `decoder.norm`, LayerNorm epsilon 1e-5;
- the output layer (the target embedding when `tieOutput`);
- the source ends with `</s>` (`add_source_eos`), the target starts from `<s>`.

Both sides get the same subword tokens: `nmt translate --tokens` prints the source tokens
our model read, which CTranslate2 then translates. The check compares output tokens
sentence by sentence, greedy and beam 5 (length penalty 1, as our alpha 1); the timings
are sentences/s of translating the whole file with the same threads, batch 64, without
loading (our load time is measured on one sentence and taken off).
"""
import argparse
import json
import math
import os
import struct
import subprocess
import sys
import tempfile
import time

import numpy as np


def read_safetensors(path):
    """The arrays of a safetensors file, by name (F32 only, as our checkpoints are)."""
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    arrays = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        assert entry["dtype"] == "F32", f"{name}: {entry['dtype']}"
        start, end = entry["data_offsets"]
        arrays[name] = np.frombuffer(data[start:end], dtype="<f4").reshape(entry["shape"]).copy()
    return arrays


def sinusoidal_positions(length, d):
    """PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(...), as the design says."""
    table = np.zeros((length, d), dtype=np.float32)
    positions = np.arange(length, dtype=np.float64)[:, None]
    rates = np.power(10000.0, np.arange(0, d, 2, dtype=np.float64) / d)
    table[:, 0::2] = np.sin(positions / rates)
    table[:, 1::2] = np.cos(positions / rates)
    return table


def convert(checkpoint, weights_file, out):
    import ctranslate2
    from ctranslate2.specs import common_spec, transformer_spec

    config = json.load(open(os.path.join(checkpoint, "config.json")))
    model = config["model"]
    assert model["architecture"] == "transformer", "only a Transformer checkpoint converts"
    d, heads = model["modelSize"], model["heads"]
    w = read_safetensors(os.path.join(checkpoint, weights_file))

    spec = transformer_spec.TransformerSpec.from_config(
        (model["encoderLayers"], model["decoderLayers"]), heads, pre_norm=True,
        activation=common_spec.Activation.RELU)

    def linear(target, prefix, rows=None):
        weight, bias = w[prefix + ".weight"], w[prefix + ".bias"]
        if rows is not None:
            weight, bias = weight[rows], bias[rows]
        target.weight, target.bias = weight, bias

    def in_projection(target, prefix, rows):
        target.weight = w[prefix + ".in_proj_weight"][rows]
        target.bias = w[prefix + ".in_proj_bias"][rows]

    def norm(target, prefix):
        target.gamma, target.beta = w[prefix + ".weight"], w[prefix + ".bias"]

    positions = sinusoidal_positions(1024, d)
    for side, stack in (("source", spec.encoder), ("target", spec.decoder)):
        embeddings = stack.embeddings[0] if isinstance(stack.embeddings, list) else stack.embeddings
        embeddings.weight = w[f"{side}_embedding.weight"]
        stack.scale_embeddings = True
        stack.position_encodings.encodings = positions

    def self_attention(target, prefix):
        """norm1 and the fused query-key-value projection of a layer's self-attention."""
        norm(target.layer_norm, prefix + ".norm1")
        in_projection(target.linear[0], prefix + ".self_attn", slice(0, 3 * d))
        linear(target.linear[1], prefix + ".self_attn.out_proj")

    def feed_forward(target, prefix, norm_name):
        norm(target.layer_norm, prefix + norm_name)
        linear(target.linear_0, prefix + ".linear1")
        linear(target.linear_1, prefix + ".linear2")

    norm(spec.encoder.layer_norm, "encoder.norm")
    for i, layer in enumerate(spec.encoder.layer):
        p = f"encoder.layers.{i}"
        self_attention(layer.self_attention, p)
        feed_forward(layer.ffn, p, ".norm2")
    norm(spec.decoder.layer_norm, "decoder.norm")
    for i, layer in enumerate(spec.decoder.layer):
        p = f"decoder.layers.{i}"
        self_attention(layer.self_attention, p)
        norm(layer.attention.layer_norm, p + ".norm2")
        in_projection(layer.attention.linear[0], p + ".multihead_attn", slice(0, d))
        in_projection(layer.attention.linear[1], p + ".multihead_attn", slice(d, 3 * d))
        linear(layer.attention.linear[2], p + ".multihead_attn.out_proj")
        feed_forward(layer.ffn, p, ".norm3")
    spec.decoder.projection.weight = w["target_embedding.weight"] if model["tieOutput"] else w["output.weight"]
    spec.decoder.projection.bias = w["output.bias"]

    spec.config.layer_norm_epsilon = 1e-5
    spec.config.add_source_eos = True
    spec.config.decoder_start_token = "<s>"
    for vocabulary, register in (("vocab.src.txt", spec.register_source_vocabulary),
                                 ("vocab.tgt.txt", spec.register_target_vocabulary)):
        register(open(os.path.join(checkpoint, vocabulary), encoding="utf-8").read().split("\n")[:-1])
    spec.validate()
    spec.optimize(quantization=None)
    spec.save(out)
    return ctranslate2.__version__


def ours(nmt, checkpoint, weights, lines, beam, threads, tokens=True):
    """Our output lines for `lines`, and the seconds it took."""
    arguments = [nmt, "translate", "--checkpoint", checkpoint, "--weights", weights, "--beam", str(beam),
                 "--batch-size", "64", "--threads", str(threads)] + (["--tokens"] if tokens else [])
    start = time.perf_counter()
    result = subprocess.run(arguments, input="\n".join(lines) + "\n", capture_output=True, text=True, check=True)
    return result.stdout.split("\n")[:-1], time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("checkpoint")
    parser.add_argument("test", help="test corpus prefix; its .de side is translated")
    parser.add_argument("--weights", default="best")
    parser.add_argument("--out", help="folder for the CTranslate2 model (default: a temporary one)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--nmt", default=".build/release/nmt")
    args = parser.parse_args()
    import ctranslate2

    out = args.out or tempfile.mkdtemp(prefix="ct2-")
    version = convert(args.checkpoint, args.weights + ".safetensors", out)
    print(f"CTranslate2 {version} model written to {out}")
    sources = open(args.test + ".de", encoding="utf-8").read().split("\n")
    sources = [s for s in sources if s.strip()]
    translator = ctranslate2.Translator(out, device="cpu", compute_type="float32",
                                        inter_threads=1, intra_threads=args.threads)
    _, load = ours(args.nmt, args.checkpoint, args.weights, sources[:1], 1, args.threads)
    for beam in (1, 5):
        lines, seconds = ours(args.nmt, args.checkpoint, args.weights, sources, beam, args.threads)
        source_tokens = [line.split(" ||| ")[0].split() for line in lines]
        our_tokens = [line.split(" ||| ")[1].split() for line in lines]
        start = time.perf_counter()
        results = translator.translate_batch(source_tokens, beam_size=beam, max_batch_size=64, length_penalty=1,
                                             max_decoding_length=256)
        ct2_seconds = time.perf_counter() - start
        theirs = [r.hypotheses[0] for r in results]
        # Our search stops at 2 × source tokens + 10 (LengthLimit), CTranslate2's at a fixed
        # max_decoding_length: a translation cut off by our limit is compared on its length.
        def limit(source):
            return 2 * len(source) + 10
        same = sum(a == b for a, b in zip(our_tokens, theirs))
        cut = sum(a != b and len(a) >= limit(s) - 1 and b[:len(a)] == a
                  for a, b, s in zip(our_tokens, theirs, source_tokens))
        print(f"beam {beam}: {same} of {len(sources)} translations the same token for token, "
              f"{cut} more the same up to our length limit")
        different = [(a, b, s) for a, b, s in zip(our_tokens, theirs, source_tokens)
                     if a != b and not (len(a) >= limit(s) - 1 and b[:len(a)] == a)]
        for a, b, s in different[:3]:
            print(f"  source: {' '.join(s)}\n  ours:   {' '.join(a)}\n  ct2:    {' '.join(b)}")
        ours_rate = len(sources) / max(seconds - load, 1e-9)
        ct2_rate = len(sources) / ct2_seconds
        print(f"beam {beam}: ours {ours_rate:.1f} sentences/s, CTranslate2 float32 {ct2_rate:.1f} sentences/s "
              f"({args.threads} threads, batch 64): ratio {ours_rate / ct2_rate:.2f}")


if __name__ == "__main__":
    sys.exit(main())
