"""Writes Tests/NeuralNetTests/Fixtures/python.safetensors with Hugging Face's own
`safetensors` package, so the Swift tests can check that we read what Python writes.

Run once, from the repository root, in a virtual environment outside the repository:

    python3 -m venv /tmp/st && /tmp/st/bin/pip install safetensors numpy
    /tmp/st/bin/python scripts/make_safetensors_fixture.py

The values are chosen to be easy to state in a test: a counting matrix, a vector with
awkward floats, a scalar and an empty tensor.
"""

import pathlib

import numpy as np
from safetensors.numpy import save_file

tensors = {
    # 0, 1, ..., 5 in row-major order.
    "encoder.weight": np.arange(6, dtype=np.float32).reshape(2, 3),
    # Negative zero, the smallest subnormal, infinity, a quiet NaN and an ordinary value.
    "encoder.bias": np.array(
        [-0.0, np.float32(1e-45), np.inf, np.nan, -2.5], dtype=np.float32
    ),
    # A rank-0 tensor holds one value.
    "scale": np.array(0.125, dtype=np.float32),
    # A tensor with a zero dimension holds no data at all.
    "empty": np.zeros((0, 4), dtype=np.float32),
}

path = pathlib.Path(__file__).resolve().parent.parent / "Tests/NeuralNetTests/Fixtures/python.safetensors"
save_file(tensors, str(path), metadata={"format": "np", "written_by": "make_safetensors_fixture.py"})
print(f"wrote {path} ({path.stat().st_size} bytes)")
