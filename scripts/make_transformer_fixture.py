"""Writes Tests/TranslationTests/Fixtures/transformer/: the weights of PyTorch's own
Transformer (the `Transformer` of ../shared/peers/torch_transformer.py, built from
nn.TransformerEncoder/Decoder with norm_first=True) as weights.safetensors, and the
negative log-likelihood of a few sentence pairs under it as nll.json, so that a Swift
test can check that our TransformerModel computes what PyTorch computes.

Run once, from the repository root, in a virtual environment outside the repository:

    python3 -m venv /tmp/peer-tf && /tmp/peer-tf/bin/pip install "torch==2.13.*" safetensors
    /tmp/peer-tf/bin/python scripts/make_transformer_fixture.py

The sizes are small (d 16, 2 heads, 2+2 layers, FF 32); every parameter gets noise on
top of PyTorch's initialisation, so that LayerNorms and biases (which start at 1 and 0)
take part. The NLL of a pair is summed over its target tokens and `</s>`, in eval mode
(no dropout), without label smoothing; the pairs are scored as one padded batch. Ids are
ours (<unk> 0, <pad> 1, <s> 2, </s> 3); the peer pads with 0, so its PAD is set to 1.
"""

import json
import pathlib
import sys

import torch
from safetensors.torch import save_file

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "shared" / "peers"))
import torch_transformer  # noqa: E402

PAD, BOS, EOS = 1, 2, 3
torch_transformer.PAD = PAD
torch.manual_seed(2019)
d, heads, layers, ff, vs, vt = 16, 2, 2, 32, 20, 18

model = torch_transformer.Transformer(vs, vt, d, heads, layers, ff, dropout=0.1)
with torch.no_grad():
    for p in model.parameters():
        p.add_(0.2 * torch.randn_like(p))
model.eval()

gen = torch.Generator().manual_seed(7)


def sentence(vocabulary, length):
    return [int(i) for i in torch.randint(4, vocabulary, (length,), generator=gen)]


pairs = [(sentence(vs, n), sentence(vt, m)) for n, m in [(5, 4), (1, 6), (8, 3), (3, 1), (6, 7)]]
src = torch.full((len(pairs), max(len(s) for s, _ in pairs) + 1), PAD)
tgt_in = torch.full((len(pairs), max(len(t) for _, t in pairs) + 1), PAD)
tgt_out = tgt_in.clone()
for b, (s, t) in enumerate(pairs):
    src[b, : len(s) + 1] = torch.tensor(s + [EOS])
    tgt_in[b, : len(t) + 1] = torch.tensor([BOS] + t)
    tgt_out[b, : len(t) + 1] = torch.tensor(t + [EOS])
with torch.no_grad():
    logp = torch.log_softmax(model(src, tgt_in).double(), dim=-1)
    token = -logp.gather(2, tgt_out.unsqueeze(2)).squeeze(2) * (tgt_out != PAD)
    nll = token.sum(1).tolist()

out = pathlib.Path(__file__).resolve().parents[1] / "Tests" / "TranslationTests" / "Fixtures" / "transformer"
out.mkdir(parents=True, exist_ok=True)
save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(out / "weights.safetensors"))
fixture = {
    "torch": torch.__version__,
    "model": {"modelSize": d, "heads": heads, "encoderLayers": layers, "decoderLayers": layers,
              "feedForwardSize": ff, "sourceVocabularySize": vs, "targetVocabularySize": vt},
    "pairs": [{"source": s, "target": t, "nll": x} for (s, t), x in zip(pairs, nll)],
}
(out / "nll.json").write_text(json.dumps(fixture, indent=1) + "\n")
print(f"wrote {out}: {len(pairs)} pairs, NLL {[round(x, 4) for x in nll]}")
