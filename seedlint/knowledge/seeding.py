"""Calls that seed global generators: the libraries' own and the ecosystem's helpers.

The random/numpy/torch entries are verified by execution in tests (signatures, and that they
seed); the ecosystem helpers are not installed here (see /work/shared/reference's
seeding_helpers.json for how they were observed).
"""

from __future__ import annotations

from .schema import SeedingCall

_R, _N, _T = "random", "numpy", "torch"
_ALL = frozenset({_R, _N, _T})
_LIGHTNING = "lightning_fabric.utilities.seed.seed_everything"


def _helper(qualname: str, seeds: frozenset[str], **kw: object) -> SeedingCall:
    return SeedingCall(qualname, seeds, (0, "seed"), **kw)  # type: ignore[arg-type]


_CALLS = [
    SeedingCall("random.seed", frozenset({_R}), (0, "a")),
    SeedingCall("random.setstate", frozenset({_R}), (0, "state"), "required", "state-write"),
    SeedingCall("numpy.random.seed", frozenset({_N}), (0, "seed")),
    SeedingCall("numpy.random.set_state", frozenset({_N}), (0, "state"), "required", "state-write"),
    SeedingCall("numpy.random.set_bit_generator", frozenset({_N}), (0, "bitgen"), "required"),
    SeedingCall("torch.manual_seed", frozenset({_T}), (0, "seed"), "required"),
    SeedingCall(
        "torch.set_rng_state", frozenset({_T}), (0, "new_state"), "required", "state-write"
    ),
    SeedingCall("torch.seed", frozenset(), None, "entropy", "entropy"),
    # CUDA-only seeding does not seed the CPU generator: recorded, but seeds no tracked library.
    SeedingCall("torch.cuda.manual_seed", frozenset(), (0, "seed"), "required"),
    SeedingCall("torch.cuda.manual_seed_all", frozenset(), (0, "seed"), "required"),
    _helper(_LIGHTNING, _ALL, without_seed="deterministic"),
    _helper("transformers.trainer_utils.set_seed", _ALL, without_seed="required"),
    _helper("transformers.trainer_utils.enable_full_determinism", _ALL, without_seed="required"),
    _helper("accelerate.utils.random.set_seed", _ALL, without_seed="required"),
    # keras seeds torch only when its backend is torch: we cannot know the backend statically.
    _helper(
        "keras.src.utils.rng_utils.set_random_seed", frozenset({_R, _N}), without_seed="required"
    ),
    _helper("fastai.torch_core.set_seed", _ALL, without_seed="required"),
    _helper("stable_baselines3.common.utils.set_random_seed", _ALL, without_seed="required"),
    _helper("ultralytics.utils.torch_utils.init_seeds", _ALL, without_seed="deterministic"),
    _helper("mmengine.runner.utils.set_random_seed", _ALL, without_seed="entropy"),
    _helper("detectron2.utils.env.seed_all_rng", _ALL, without_seed="entropy"),
]

# Public re-exports under which users import the helpers above.
ALIASES: dict[str, str] = {
    "lightning.seed_everything": _LIGHTNING,
    "lightning.pytorch.seed_everything": _LIGHTNING,
    "lightning.fabric.seed_everything": _LIGHTNING,
    "lightning.fabric.utilities.seed.seed_everything": _LIGHTNING,
    "lightning.pytorch.utilities.seed.seed_everything": _LIGHTNING,
    "lightning_fabric.seed_everything": _LIGHTNING,
    "pytorch_lightning.seed_everything": _LIGHTNING,
    "pytorch_lightning.utilities.seed.seed_everything": _LIGHTNING,
    "transformers.set_seed": "transformers.trainer_utils.set_seed",
    "transformers.enable_full_determinism": "transformers.trainer_utils.enable_full_determinism",
    "accelerate.utils.set_seed": "accelerate.utils.random.set_seed",
    "keras.utils.set_random_seed": "keras.src.utils.rng_utils.set_random_seed",
    "tensorflow.keras.utils.set_random_seed": "keras.src.utils.rng_utils.set_random_seed",
    "fastai.basics.set_seed": "fastai.torch_core.set_seed",
    "fastai.vision.all.set_seed": "fastai.torch_core.set_seed",
    "fastai.text.all.set_seed": "fastai.torch_core.set_seed",
    "fastai.tabular.all.set_seed": "fastai.torch_core.set_seed",
    "mmengine.runner.set_random_seed": "mmengine.runner.utils.set_random_seed",
    "mmengine.set_random_seed": "mmengine.runner.utils.set_random_seed",
    "torch.random.manual_seed": "torch.manual_seed",
    "torch.random.seed": "torch.seed",
    "torch.random.set_rng_state": "torch.set_rng_state",
}

SEEDING_CALLS: dict[str, SeedingCall] = {c.qualname: c for c in _CALLS}
