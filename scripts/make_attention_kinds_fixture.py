"""Writes Tests/TranslationTests/Fixtures/kinds/: for every attention kind of the RNN
model (docs/DESIGN.md, "The RNN model" and "The attention kinds"), a small random model
in PyTorch, its weights (`<kind>.safetensors`, our tensor names) and, in `kinds.json`,
its settings and the per-sentence negative log-likelihood of a few sentence pairs (the
sum over the target tokens and `</s>`, no dropout), so that the Swift tests can check
that our model computes what these equations, written independently, compute.

Run once, from the repository root, in a virtual environment outside the repository:

    python3 -m venv /tmp/peer && /tmp/peer/bin/pip install "torch==2.13.*"
    /tmp/peer/bin/python scripts/make_attention_kinds_fixture.py

Each sentence is computed alone (no padding), in float64 from the float32 weights that
are saved, so the reference is exact to far below our float32 tolerance. Every weight is
uniform in [-1, 1). The safetensors files are written by hand (8-byte little-endian
header length, JSON header, raw little-endian F32), the format being that simple.
"""

import json
import math
import pathlib
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(2015)
E, H, D, A, HEADS, WINDOW, FILTERS, WIDTH = 4, 3, 5, 4, 2, 1, 3, 3
VS, VT = 10, 9
BOS, EOS = 2, 3
# Source and target ids without specials: lengths differ, so the Swift batch is padded,
# and local attention's window is cut at both ends.
PAIRS = [
    ([4, 5, 6, 7, 8, 9], [4, 5, 6]),
    ([5], [7, 8, 4, 5, 6]),
    ([9, 8, 7], [8]),
    ([6, 4, 9, 5], [4, 4, 7, 8]),
]
KINDS = ["additive", "dot", "general", "scaled-dot", "multi-head", "location", "local", "none"]


def linear(i, o, bias=False):
    return nn.Linear(i, o, bias=bias)


class Filters(nn.Module):
    """F [K, w], saved as `attention.location.weight`."""

    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(FILTERS, WIDTH))


class Attention(nn.Module):
    """One kind's alignment model over one sentence: query q [D], states h [n, 2H]."""

    def __init__(self, kind, d):
        super().__init__()
        self.kind = kind
        if kind in ("additive", "location"):
            self.query, self.key, self.energy = linear(d, A), linear(2 * H, A, bias=True), linear(A, 1)
        if kind == "location":
            self.location, self.location_projection = Filters(), linear(FILTERS, A)
        if kind in ("general", "local"):
            self.key = linear(2 * H, d)
        if kind in ("scaled-dot", "multi-head"):
            self.query, self.key = linear(d, A), linear(2 * H, A)
        if kind == "multi-head":
            self.value, self.output = linear(2 * H, A), linear(A, 2 * H)
        if kind == "local":
            self.position, self.position_energy = linear(d, A), linear(A, 1)

    def forward(self, q, h, previous):
        """The context c_t [2H] and the weights α_t [n]."""
        n = h.shape[0]
        if self.kind == "multi-head":
            dh = A // HEADS
            qs = self.query(q).view(HEADS, dh)                     # [k, dh]
            ks = self.key(h).view(n, HEADS, dh)                    # [n, k, dh]
            vs = self.value(h).view(n, HEADS, dh)
            weights = torch.softmax(torch.einsum("id,jid->ij", qs, ks) / math.sqrt(dh), dim=1)  # [k, n]
            heads = torch.einsum("ij,jid->id", weights, vs).reshape(A)
            return self.output(heads), weights.mean(0)
        if self.kind in ("additive", "location"):
            hidden = self.key(h) + self.query(q)
            if self.kind == "location":
                f = F.conv1d(previous.view(1, 1, n), self.location.weight.view(FILTERS, 1, WIDTH),
                             padding=(WIDTH - 1) // 2)[0].t()     # [n, K]
                hidden = hidden + self.location_projection(f)
            energies = self.energy(torch.tanh(hidden)).squeeze(1)
        elif self.kind == "dot":
            energies = h @ q
        elif self.kind in ("general", "local"):
            energies = self.key(h) @ q
        elif self.kind == "scaled-dot":
            energies = self.key(h) @ self.query(q) / math.sqrt(A)
        if self.kind != "local":
            weights = torch.softmax(energies, dim=0)
            return weights @ h, weights
        p = n * torch.sigmoid(self.position_energy(torch.tanh(self.position(q))))[0]   # S_x = n, alone
        j = torch.arange(n, dtype=h.dtype)
        inside = (j - p).abs() <= WINDOW
        scores = torch.softmax(energies.masked_fill(~inside, float("-inf")), dim=0)
        sigma = WINDOW / 2
        weights = scores * torch.exp(-((j - p) ** 2) / (2 * sigma * sigma))
        return weights @ h, weights


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(VS, E)
        self.rnn = nn.LSTM(E, H, bidirectional=True)


class Decoder(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.embedding = nn.Embedding(VT, E)
        self.rnn = nn.LSTMCell(E + 2 * H, d)


class RNNModel(nn.Module):
    def __init__(self, kind):
        super().__init__()
        d = 2 * H if kind == "dot" else D
        self.encoder, self.bridge = Encoder(), nn.Linear(2 * H, d)
        if kind != "none":
            self.attention = Attention(kind, d)
        self.decoder, self.output = Decoder(d), nn.Linear(d + 2 * H + E, VT)
        self.kind, self.d = kind, d

    def sentence_nll(self, source, target):
        x = torch.tensor(source + [EOS])
        states, (last, _) = self.encoder.rnn(self.encoder.embedding(x).unsqueeze(1))
        h = states[:, 0]                                           # [n, 2H]
        summary = torch.cat([last[0, 0], last[1, 0]])              # [→h_n ; ←h_1]
        s, m = torch.tanh(self.bridge(summary)), torch.zeros(self.d, dtype=h.dtype)
        previous = torch.zeros(len(x), dtype=h.dtype)              # α_0 = 0
        nll = torch.zeros((), dtype=h.dtype)
        for y_prev, y in zip([BOS] + target, target + [EOS]):
            e = self.decoder.embedding(torch.tensor(y_prev))
            if self.kind == "none":
                c = summary
            else:
                c, previous = self.attention(s, h, previous)
            s, m = self.decoder.rnn(torch.cat([e, c]).unsqueeze(0), (s.unsqueeze(0), m.unsqueeze(0)))
            s, m = s[0], m[0]
            logits = self.output(torch.cat([s, c, e]))
            nll = nll - torch.log_softmax(logits, dim=0)[y]
        return nll.item()


def write_safetensors(path, tensors):
    header, blobs, offset = {"__metadata__": {"written_by": "make_attention_kinds_fixture.py"}}, [], 0
    for name, t in tensors.items():
        blob = t.detach().to(torch.float32).contiguous().reshape(-1).tolist()
        data = struct.pack(f"<{len(blob)}f", *blob)
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    path.write_bytes(struct.pack("<Q", len(text)) + text + b"".join(blobs))


folder = pathlib.Path(__file__).resolve().parent.parent / "Tests/TranslationTests/Fixtures/kinds"
folder.mkdir(parents=True, exist_ok=True)
fixture = {"sourceVocabularySize": VS, "targetVocabularySize": VT,
           "pairs": [{"source": s, "target": t} for s, t in PAIRS], "kinds": {}}
for kind in KINDS:
    model = RNNModel(kind)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.rand(p.shape) * 2 - 1)
    write_safetensors(folder / f"{kind}.safetensors", model.state_dict())
    model.double()
    with torch.no_grad():
        losses = [model.sentence_nll(s, t) for s, t in PAIRS]
    settings = {"embeddingSize": E, "encoderHiddenSize": H, "decoderHiddenSize": model.d, "attentionSize": A,
                "attention": kind, "attentionHeads": HEADS, "attentionWindow": WINDOW,
                "locationFilters": FILTERS, "locationWidth": WIDTH, "dropout": 0}
    fixture["kinds"][kind] = {"model": settings, "losses": losses}
    print(kind, ["%.6f" % v for v in losses])
(folder / "kinds.json").write_text(json.dumps(fixture, indent=1) + "\n")
print(f"wrote {folder}")
