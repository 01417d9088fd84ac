"""torch APIs that draw from the default (global) generator.

``_generated_torch.py`` holds what introspection finds (ATen ops with a ``Generator`` argument
and their Python bindings, ATen dropout ops, the ``generator=`` parameters of ``torch.nn.init``
and ``torch.utils.data``).  Written here by hand: the drawers that take no generator (Python
wrappers such as ``torch.nn.functional.dropout``, layers that initialise their parameters,
modules that draw in ``forward``, ``torch.distributions`` sampling) and the corrections below.
Every entry is verified by calling it in ``tests/test_knowledge_torch.py``.
"""

from __future__ import annotations

from . import _generated_torch as _gen
from .schema import LoaderWorkers, TorchApi

_F = "torch.nn.functional"

# Functional drawers without `generator=` (Python wrappers around the ATen dropout ops, ...).
# (input, p=0.5, training=True, inplace=False): p = 0 or training=False never draws.
_NO_GENERATOR: tuple[TorchApi, ...] = (
    *(
        TorchApi(f"{_F}.{name}", False, never_if_zero=(1, "p"), training_arg=(2, "training"))
        for name in ("dropout", "dropout1d", "dropout2d", "dropout3d")
    ),
    # alpha dropouts and rrelu default to training=False: no draw unless it is given.
    TorchApi(f"{_F}.alpha_dropout", False, only_if_arg=(2, "training")),
    TorchApi(f"{_F}.feature_alpha_dropout", False, only_if_arg=(2, "training")),
    TorchApi(f"{_F}.rrelu", False, only_if_arg=(3, "training")),
    TorchApi(f"{_F}.gumbel_softmax", False),
    TorchApi(f"{_F}.fractional_max_pool2d", False),
    TorchApi(f"{_F}.fractional_max_pool3d", False),
    # (query, key, value, attn_mask=None, dropout_p=0.0, ...): dropout_p is index 4.
    TorchApi(f"{_F}.scaled_dot_product_attention", False, only_if_arg=(4, "dropout_p")),
    TorchApi("torch.nn.utils.prune.random_unstructured", False),
    TorchApi("torch.nn.utils.prune.random_structured", False),
    *(
        TorchApi(f"torch.distributions.Distribution.{m}", False)
        for m in ("sample", "rsample", "sample_n")
    ),
)

# Layers whose constructor initialises parameters from the default generator.
_LAYERS = (
    "Linear",
    "Bilinear",
    "Conv1d",
    "Conv2d",
    "Conv3d",
    "ConvTranspose1d",
    "ConvTranspose2d",
    "ConvTranspose3d",
    "Embedding",
    "EmbeddingBag",
    "RNN",
    "LSTM",
    "GRU",
    "RNNCell",
    "LSTMCell",
    "GRUCell",
    "MultiheadAttention",
    "Transformer",
    "TransformerEncoderLayer",
    "TransformerDecoderLayer",
)

# Modules that draw when called in training mode; building them draws nothing.  The dropout
# layers' first argument is `p`: with a literal 0 they never draw.
_FORWARD_DROPOUT = (
    "Dropout",
    "Dropout1d",
    "Dropout2d",
    "Dropout3d",
    "AlphaDropout",
    "FeatureAlphaDropout",
)
_FORWARD = (*_FORWARD_DROPOUT, "RReLU")

# Accept `generator=` but still draw from the default generator with one: sparse_ draws its
# values from the generator and the zero positions with torch.randperm() (torch 2.13).  They
# are recorded as accepts_generator=False: passing a generator does not make them independent.
GENERATOR_NOT_ISOLATING: frozenset[str] = frozenset(
    {"torch.nn.init.sparse_", "torch.nn.init.sparse"}
)

_CORRECTIONS: tuple[TorchApi, ...] = tuple(
    TorchApi(
        q,
        False,
        note="accepts generator= but still draws the zero positions from the default generator",
    )
    for q in sorted(GENERATOR_NOT_ISOLATING)
)

APIS: dict[str, TorchApi] = {
    **{a.qualname: a for a in _gen.APIS},
    **{a.qualname: a for a in _NO_GENERATOR},
    **{f"torch.nn.{n}": TorchApi(f"torch.nn.{n}", False, "construction") for n in _LAYERS},
    **{
        f"torch.nn.{n}": TorchApi(
            f"torch.nn.{n}", False, "forward", never_if_zero=(0, "p") if n != "RReLU" else None
        )
        for n in _FORWARD
    },
    **{a.qualname: a for a in _CORRECTIONS},
}

# Data loaders whose workers seed `random`, `numpy` and torch from a base seed drawn at
# `iter()` (torch 2.13: `_worker_loop` calls `random.seed`, `torch.manual_seed` and
# `np.random.seed`; tests/test_knowledge_torch.py checks it by running workers).
LOADER_WORKERS: dict[str, LoaderWorkers] = {
    "torch.utils.data.DataLoader": LoaderWorkers(
        "torch.utils.data.DataLoader",
        dataset=(0, "dataset"),
        num_workers=(5, "num_workers"),
        generator=(12, "generator"),
        seeds=frozenset({"random", "numpy", "torch"}),
        methods=("__getitem__", "__getitems__", "__iter__"),
        worker_init_fn=(10, "worker_init_fn"),
    )
}

# Containers whose forward pass runs the modules they are built from (`nn.Sequential(...,
# nn.Dropout(0.1))` draws when the Sequential is called).
CONTAINERS: frozenset[str] = frozenset(
    {"torch.nn.Sequential", "torch.nn.ModuleList", "torch.nn.ModuleDict"}
)

# In-place random Tensor methods: in a file that imports torch, `x.normal_()` counts even when
# the receiver's type is not visible (these names are distinctive enough).
TENSOR_INPLACE_RANDOM: frozenset[str] = frozenset(
    q.rsplit(".", 1)[1] for q in APIS if q.startswith("torch.Tensor.") and q.endswith("_")
)
