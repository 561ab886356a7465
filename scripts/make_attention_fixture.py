"""Writes Tests/NeuralNetTests/Fixtures/attention.json with PyTorch's own
`nn.MultiheadAttention(batch_first=True)` and `nn.LayerNorm`, so the Swift tests can check
that our layers compute what PyTorch computes from the same weights.

Run once, from the repository root, in a virtual environment outside the repository:

    python3 -m venv /tmp/peer && /tmp/peer/bin/pip install "torch==2.13.*"
    /tmp/peer/bin/python scripts/make_attention_fixture.py

Every parameter, biases included (PyTorch starts those at zero), is drawn uniform in
[-1, 1), so that each one takes part. Three cases: self-attention with padding keys,
the same with the causal mask, and cross-attention over a padded memory. Masks are
written in our convention (true at a real key); PyTorch's is the opposite (true at a
key to ignore). The weights are every head's (`average_attn_weights=False`).
"""

import json
import pathlib

import torch

torch.manual_seed(2017)
d, heads, batch, time, source = 8, 2, 2, 4, 5


def uniform(*shape):
    return torch.rand(*shape) * 2 - 1


def array(t):
    """A tensor as its shape and its float32 values in row-major order (exact in JSON)."""
    return {"shape": list(t.shape), "values": [float(v) for v in t.detach().reshape(-1).tolist()]}


attention = torch.nn.MultiheadAttention(d, heads, batch_first=True)
norm = torch.nn.LayerNorm(d)
with torch.no_grad():
    for module in (attention, norm):
        for p in module.parameters():
            p.copy_(uniform(*p.shape))
attention.eval()

x = uniform(batch, time, d)
memory = uniform(batch, source, d)
# Sentence 1 of x ends after 3 positions; sentence 0 of the memory after 3.
x_real = torch.tensor([[True] * time, [True] * 3 + [False] * (time - 3)])
memory_real = torch.tensor([[True] * 3 + [False] * (source - 3), [True] * source])
causal = torch.triu(torch.ones(time, time, dtype=torch.bool), diagonal=1)

cases = []
with torch.no_grad():
    for name, query, keys, real, mask in [
        ("self", x, x, x_real, None),
        ("causal self", x, x, x_real, causal),
        ("cross", x, memory, memory_real, None),
    ]:
        output, weights = attention(query, keys, keys, key_padding_mask=~real, attn_mask=mask,
                                    need_weights=True, average_attn_weights=False)
        cases.append({
            "name": name,
            "query": array(query),
            "memory": array(keys),
            "keyMask": real.reshape(-1).tolist(),
            "causal": mask is not None,
            "output": array(output),
            "weights": array(weights),
        })
    # Rows with a large mean and spread, where a one-pass variance would lose digits.
    norm_input = uniform(batch, time, d) * 3 + 5
    norm_output = norm(norm_input)

fixture = {
    "torch": torch.__version__,
    "modelSize": d,
    "heads": heads,
    "attention": {name: array(p) for name, p in attention.state_dict().items()},
    "cases": cases,
    "layerNorm": {
        "weight": array(norm.weight),
        "bias": array(norm.bias),
        "input": array(norm_input),
        "output": array(norm_output),
    },
}

path = pathlib.Path(__file__).resolve().parent.parent / "Tests/NeuralNetTests/Fixtures/attention.json"
path.write_text(json.dumps(fixture, indent=1) + "\n")
print(f"wrote {path} ({path.stat().st_size} bytes)")
