"""The torch knowledge table, verified by calling every entry.

Each entry has a recipe: ``RECIPES[qualname](kw)`` does the (unmeasured) setup and returns the
measured action, with ``kw`` (``{}`` or ``{"generator": g}``) passed to the call that accepts a
generator (the constructor for samplers and DataLoader, whose iteration draws).  The CPU
generator's state is restored after every test.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import pytest

from seedlint import knowledge
from seedlint.knowledge import _generated_torch, generators, seeding, torch_api

from .conftest import require, resolve_qualname

torch = require("torch")
nn = require("torch.nn")
F = require("torch.nn.functional")
data = require("torch.utils.data")
prune = require("torch.nn.utils.prune")

APIS = torch_api.APIS
Action = Callable[[], Any]
Recipe = Callable[[dict[str, Any]], Action]


def _ones(*shape: int) -> Any:
    return torch.ones(*shape)


def _neg(*shape: int) -> Any:
    return -torch.ones(*shape)


def _tensor_method(make: Callable[[], Any], method: str, *args: Any) -> Recipe:
    def recipe(kw: dict[str, Any]) -> Action:
        t = make()
        return lambda: getattr(t, method)(*args, **kw)

    return recipe


def _call(func: Callable[..., Any], *args: Any, **fixed: Any) -> Recipe:
    """Arguments are built inside the action (tensors are cheap, nothing of them draws)."""
    return lambda kw: lambda: func(*args, **fixed, **kw)


def _lazy(build: Callable[[], tuple[tuple[Any, ...], dict[str, Any]]], func: Any) -> Recipe:
    def recipe(kw: dict[str, Any]) -> Action:
        args, fixed = build()
        return lambda: func(*args, **fixed, **kw)

    return recipe


def _construct(cls: Any, *args: Any, **fixed: Any) -> Recipe:
    return lambda kw: lambda: cls(*args, **fixed, **kw)


FORWARD_INPUTS: dict[str, Callable[[], Any]] = {}


def _forward(cls: Any, x: Callable[[], Any]) -> Recipe:
    FORWARD_INPUTS[f"torch.nn.{cls.__name__}"] = x

    def recipe(kw: dict[str, Any]) -> Action:
        module = cls().train()
        inp = x()
        return lambda: module(inp, **kw)

    return recipe


def _iterate(make: Callable[[dict[str, Any]], Any]) -> Recipe:
    def recipe(kw: dict[str, Any]) -> Action:
        iterable = make(kw)
        return lambda: list(iter(iterable))

    return recipe


def _prune(func: Callable[..., Any], **fixed: Any) -> Recipe:
    def recipe(kw: dict[str, Any]) -> Action:
        module = nn.Linear(4, 4)
        return lambda: func(module, "weight", amount=0.5, **fixed, **kw)

    return recipe


def _init(name: str, *args: Any) -> Recipe:
    def recipe(kw: dict[str, Any]) -> Action:
        w = torch.empty(6, 6)
        return lambda: getattr(nn.init, name)(w, *args, **kw)

    return recipe


def _distribution(method: str, *args: Any) -> Recipe:
    def recipe(kw: dict[str, Any]) -> Action:
        dist = torch.distributions.Normal(torch.zeros(3), torch.ones(3))
        return lambda: getattr(dist, method)(*args, **kw)

    return recipe


DATASET = list(range(8))
QKV = (torch.ones(1, 1, 4, 8), torch.ones(1, 1, 4, 8), torch.ones(1, 1, 4, 8))

RECIPES: dict[str, Recipe] = {
    # torch.<op>
    "torch.rand": _call(torch.rand, 3),
    "torch.randn": _call(torch.randn, 3),
    "torch.randint": _call(torch.randint, 0, 10, (3,)),
    "torch.randperm": _call(torch.randperm, 5),
    "torch.normal": _lazy(lambda: ((torch.zeros(3), torch.ones(3)), {}), torch.normal),
    "torch.bernoulli": _lazy(lambda: ((torch.full((3,), 0.5),), {}), torch.bernoulli),
    "torch.multinomial": _lazy(lambda: ((torch.ones(4), 2), {}), torch.multinomial),
    "torch.poisson": _lazy(lambda: ((torch.ones(3),), {}), torch.poisson),
    "torch.binomial": _lazy(
        lambda: ((torch.full((3,), 5.0), torch.full((3,), 0.5)), {}), torch.binomial
    ),
    "torch.rand_like": _lazy(lambda: ((torch.zeros(3),), {}), torch.rand_like),
    "torch.randn_like": _lazy(lambda: ((torch.zeros(3),), {}), torch.randn_like),
    "torch.randint_like": _lazy(lambda: ((torch.zeros(3), 10), {}), torch.randint_like),
    "torch.rrelu": _lazy(lambda: ((_neg(5),), {"training": True}), torch.rrelu),
    "torch.rrelu_": _lazy(lambda: ((_neg(5),), {"training": True}), torch.rrelu_),
    "torch.nn.functional.rrelu_": _lazy(lambda: ((_neg(5),), {"training": True}), F.rrelu_),
    "torch.dropout": _lazy(lambda: ((_ones(10), 0.5, True), {}), torch.dropout),
    "torch.dropout_": _lazy(lambda: ((_ones(10), 0.5, True), {}), torch.dropout_),
    "torch.alpha_dropout": _lazy(lambda: ((_ones(10), 0.5, True), {}), torch.alpha_dropout),
    "torch.alpha_dropout_": _lazy(lambda: ((_ones(10), 0.5, True), {}), torch.alpha_dropout_),
    "torch.feature_dropout": _lazy(
        lambda: ((_ones(2, 3, 4), 0.5, True), {}), torch.feature_dropout
    ),
    "torch.feature_dropout_": _lazy(
        lambda: ((_ones(2, 3, 4), 0.5, True), {}), torch.feature_dropout_
    ),
    "torch.feature_alpha_dropout": _lazy(
        lambda: ((_ones(2, 3, 4), 0.5, True), {}), torch.feature_alpha_dropout
    ),
    "torch.feature_alpha_dropout_": _lazy(
        lambda: ((_ones(2, 3, 4), 0.5, True), {}), torch.feature_alpha_dropout_
    ),
    "torch.native_dropout": _lazy(lambda: ((_ones(10), 0.5, None), {}), torch.native_dropout),
    # Tensor methods
    "torch.Tensor.random_": _tensor_method(lambda: torch.empty(5), "random_", 0, 10),
    "torch.Tensor.uniform_": _tensor_method(lambda: torch.empty(5), "uniform_"),
    "torch.Tensor.normal_": _tensor_method(lambda: torch.empty(5), "normal_"),
    "torch.Tensor.bernoulli_": _tensor_method(lambda: torch.empty(5), "bernoulli_", 0.5),
    "torch.Tensor.bernoulli": _tensor_method(lambda: torch.full((5,), 0.5), "bernoulli"),
    "torch.Tensor.exponential_": _tensor_method(lambda: torch.empty(5), "exponential_"),
    "torch.Tensor.geometric_": _tensor_method(lambda: torch.empty(5), "geometric_", 0.5),
    "torch.Tensor.cauchy_": _tensor_method(lambda: torch.empty(5), "cauchy_"),
    "torch.Tensor.log_normal_": _tensor_method(lambda: torch.empty(5), "log_normal_"),
    "torch.Tensor.multinomial": _tensor_method(lambda: torch.ones(4), "multinomial", 2),
    # torch.nn.init (and the deprecated aliases without the underscore)
    **{
        f"torch.nn.init.{name}{suffix}": _init(name + suffix, *args)
        for name, args in {
            "uniform": (),
            "normal": (),
            "xavier_uniform": (),
            "xavier_normal": (),
            "kaiming_uniform": (),
            "kaiming_normal": (),
            "orthogonal": (),
            "sparse": (0.5,),
        }.items()
        for suffix in ("", "_")
    },
    "torch.nn.init.trunc_normal_": _init("trunc_normal_"),
    # torch.utils.data
    "torch.utils.data.random_split": _call(data.random_split, DATASET, [4, 4]),
    "torch.utils.data.DataLoader": _iterate(lambda kw: data.DataLoader(DATASET, **kw)),
    "torch.utils.data.RandomSampler": _iterate(lambda kw: data.RandomSampler(DATASET, **kw)),
    "torch.utils.data.SubsetRandomSampler": _iterate(
        lambda kw: data.SubsetRandomSampler([1, 3, 5], **kw)
    ),
    "torch.utils.data.WeightedRandomSampler": _iterate(
        lambda kw: data.WeightedRandomSampler([0.2, 0.3, 0.5], 4, **kw)
    ),
    # functional drawers without a generator
    "torch.nn.functional.dropout": _lazy(lambda: ((_ones(10), 0.5), {}), F.dropout),
    "torch.nn.functional.dropout1d": _lazy(lambda: ((_ones(2, 3, 4), 0.5), {}), F.dropout1d),
    "torch.nn.functional.dropout2d": _lazy(lambda: ((_ones(2, 3, 4, 4), 0.5), {}), F.dropout2d),
    "torch.nn.functional.dropout3d": _lazy(lambda: ((_ones(2, 3, 4, 4, 4), 0.5), {}), F.dropout3d),
    "torch.nn.functional.alpha_dropout": _lazy(
        lambda: ((_ones(10), 0.5), {"training": True}), F.alpha_dropout
    ),
    "torch.nn.functional.feature_alpha_dropout": _lazy(
        lambda: ((_ones(2, 3, 4), 0.5), {"training": True}), F.feature_alpha_dropout
    ),
    "torch.nn.functional.rrelu": _lazy(lambda: ((_neg(5),), {"training": True}), F.rrelu),
    "torch.nn.functional.gumbel_softmax": _lazy(lambda: ((torch.zeros(4),), {}), F.gumbel_softmax),
    "torch.nn.functional.fractional_max_pool2d": _lazy(
        lambda: ((_ones(1, 1, 8, 8), 2), {"output_size": 4}), F.fractional_max_pool2d
    ),
    "torch.nn.functional.fractional_max_pool3d": _lazy(
        lambda: ((_ones(1, 1, 8, 8, 8), 2), {"output_size": 4}), F.fractional_max_pool3d
    ),
    "torch.nn.functional.scaled_dot_product_attention": _lazy(
        lambda: (QKV, {"dropout_p": 0.5}), F.scaled_dot_product_attention
    ),
    "torch.nn.utils.prune.random_unstructured": _prune(prune.random_unstructured),
    "torch.nn.utils.prune.random_structured": _prune(prune.random_structured, dim=0),
    "torch.distributions.Distribution.sample": _distribution("sample"),
    "torch.distributions.Distribution.rsample": _distribution("rsample"),
    "torch.distributions.Distribution.sample_n": _distribution("sample_n", 2),
    # layers: construction draws
    "torch.nn.Linear": _construct(nn.Linear, 3, 3),
    "torch.nn.Bilinear": _construct(nn.Bilinear, 2, 2, 2),
    "torch.nn.Conv1d": _construct(nn.Conv1d, 1, 1, 3),
    "torch.nn.Conv2d": _construct(nn.Conv2d, 1, 1, 3),
    "torch.nn.Conv3d": _construct(nn.Conv3d, 1, 1, 3),
    "torch.nn.ConvTranspose1d": _construct(nn.ConvTranspose1d, 1, 1, 3),
    "torch.nn.ConvTranspose2d": _construct(nn.ConvTranspose2d, 1, 1, 3),
    "torch.nn.ConvTranspose3d": _construct(nn.ConvTranspose3d, 1, 1, 3),
    "torch.nn.Embedding": _construct(nn.Embedding, 5, 3),
    "torch.nn.EmbeddingBag": _construct(nn.EmbeddingBag, 5, 3),
    "torch.nn.RNN": _construct(nn.RNN, 3, 3),
    "torch.nn.LSTM": _construct(nn.LSTM, 3, 3),
    "torch.nn.GRU": _construct(nn.GRU, 3, 3),
    "torch.nn.RNNCell": _construct(nn.RNNCell, 3, 3),
    "torch.nn.LSTMCell": _construct(nn.LSTMCell, 3, 3),
    "torch.nn.GRUCell": _construct(nn.GRUCell, 3, 3),
    "torch.nn.MultiheadAttention": _construct(nn.MultiheadAttention, 4, 2),
    "torch.nn.Transformer": _construct(
        nn.Transformer,
        d_model=4,
        nhead=2,
        num_encoder_layers=1,
        num_decoder_layers=1,
        dim_feedforward=4,
    ),
    "torch.nn.TransformerEncoderLayer": _construct(nn.TransformerEncoderLayer, 4, 2, 4),
    "torch.nn.TransformerDecoderLayer": _construct(nn.TransformerDecoderLayer, 4, 2, 4),
    # modules that draw in forward (training mode)
    "torch.nn.Dropout": _forward(nn.Dropout, lambda: _ones(10)),
    "torch.nn.Dropout1d": _forward(nn.Dropout1d, lambda: _ones(2, 3, 4)),
    "torch.nn.Dropout2d": _forward(nn.Dropout2d, lambda: _ones(2, 3, 4, 4)),
    "torch.nn.Dropout3d": _forward(nn.Dropout3d, lambda: _ones(2, 3, 4, 4, 4)),
    "torch.nn.AlphaDropout": _forward(nn.AlphaDropout, lambda: _ones(10)),
    "torch.nn.FeatureAlphaDropout": _forward(nn.FeatureAlphaDropout, lambda: _ones(2, 3, 4)),
    "torch.nn.RReLU": _forward(nn.RReLU, lambda: _neg(10)),
}

# only_if_arg entries: the positional arguments before the conditional one, and the values
# that make it draw / not draw.
ONLY_IF: dict[str, tuple[Callable[[], tuple[Any, ...]], Any, Any]] = {
    "torch.rrelu": (lambda: (_neg(5), 0.125, 0.3), True, False),
    "torch.rrelu_": (lambda: (_neg(5), 0.125, 0.3), True, False),
    "torch.nn.functional.rrelu_": (lambda: (_neg(5), 0.125, 0.3), True, False),
    "torch.nn.functional.rrelu": (lambda: (_neg(5), 0.125, 0.3), True, False),
    "torch.dropout": (lambda: (_ones(10), 0.5), True, False),
    "torch.dropout_": (lambda: (_ones(10), 0.5), True, False),
    "torch.alpha_dropout": (lambda: (_ones(10), 0.5), True, False),
    "torch.alpha_dropout_": (lambda: (_ones(10), 0.5), True, False),
    "torch.feature_dropout": (lambda: (_ones(2, 3, 4), 0.5), True, False),
    "torch.feature_dropout_": (lambda: (_ones(2, 3, 4), 0.5), True, False),
    "torch.feature_alpha_dropout": (lambda: (_ones(2, 3, 4), 0.5), True, False),
    "torch.feature_alpha_dropout_": (lambda: (_ones(2, 3, 4), 0.5), True, False),
    "torch.nn.functional.alpha_dropout": (lambda: (_ones(10), 0.5), True, False),
    "torch.nn.functional.feature_alpha_dropout": (lambda: (_ones(2, 3, 4), 0.5), True, False),
    "torch.nn.functional.scaled_dot_product_attention": (lambda: (*QKV, None), 0.5, 0.0),
}


# generator_position entries: the call with `g` passed positionally.


def _W() -> Any:
    return torch.empty(6, 6)


POSITIONAL: dict[str, Callable[[Any], Any]] = {
    "torch.binomial": lambda g: torch.binomial(torch.full((3,), 5.0), torch.full((3,), 0.5), g),
    "torch.poisson": lambda g: torch.poisson(torch.ones(3), g),
    "torch.rrelu": lambda g: torch.rrelu(_neg(5), 0.125, 0.3, True, g),
    "torch.rrelu_": lambda g: torch.rrelu_(_neg(5), 0.125, 0.3, True, g),
    "torch.nn.functional.rrelu_": lambda g: F.rrelu_(_neg(5), 0.125, 0.3, True, g),
    **{
        f"torch.nn.init.{name}{suffix}": (
            lambda g, f=f"{name}{suffix}", a=args: getattr(nn.init, f)(_W(), *a, g)
        )
        for name, args in {
            "uniform": (0.0, 1.0),
            "normal": (0.0, 1.0),
            "xavier_uniform": (1.0,),
            "xavier_normal": (1.0,),
            "kaiming_uniform": (0, "fan_in", "leaky_relu"),
            "kaiming_normal": (0, "fan_in", "leaky_relu"),
            "orthogonal": (1.0,),
            "sparse": (0.5, 0.01),
        }.items()
        for suffix in ("", "_")
    },
    "torch.nn.init.trunc_normal_": lambda g: nn.init.trunc_normal_(_W(), 0.0, 1.0, -2.0, 2.0, g),
    "torch.utils.data.random_split": lambda g: data.random_split(DATASET, [4, 4], g),
    "torch.utils.data.DataLoader": lambda g: list(
        data.DataLoader(DATASET, 1, True, None, None, 0, None, False, False, 0, None, None, g)
    ),
    "torch.utils.data.RandomSampler": lambda g: list(data.RandomSampler(DATASET, False, None, g)),
    "torch.utils.data.SubsetRandomSampler": lambda g: list(data.SubsetRandomSampler([1, 2], g)),
    "torch.utils.data.WeightedRandomSampler": lambda g: list(
        data.WeightedRandomSampler([0.2, 0.8], 3, True, g)
    ),
}


@pytest.fixture(autouse=True)
def restore_torch_rng() -> Iterator[None]:
    state = torch.get_rng_state()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # deprecated init aliases, sample_n
        try:
            yield
        finally:
            torch.set_rng_state(state)


def _draws_global(action: Action) -> bool:
    before = torch.get_rng_state()
    action()
    return not torch.equal(before, torch.get_rng_state())


def test_every_entry_has_a_recipe() -> None:
    assert set(RECIPES) == set(APIS)
    assert set(ONLY_IF) == {q for q, a in APIS.items() if a.only_if_arg is not None}


@pytest.mark.parametrize("qualname", sorted(APIS))
def test_entry_resolves(qualname: str) -> None:
    assert callable(resolve_qualname(qualname))


GEN = sorted(q for q, a in APIS.items() if a.accepts_generator)
NO_GEN = sorted(q for q, a in APIS.items() if not a.accepts_generator)


@pytest.mark.parametrize("qualname", GEN)
def test_accepts_generator_and_keeps_global_state(qualname: str) -> None:
    recipe = RECIPES[qualname]
    assert _draws_global(recipe({})), "draws from the default generator without generator="
    g = torch.Generator().manual_seed(0)
    g_before = g.get_state()
    assert not _draws_global(recipe({"generator": g})), "generator= must isolate the call"
    assert not torch.equal(g_before, g.get_state()), "the generator was not used"


@pytest.mark.parametrize("qualname", NO_GEN)
def test_draws_without_a_generator(qualname: str) -> None:
    recipe = RECIPES[qualname]
    assert _draws_global(recipe({}))
    g = torch.Generator().manual_seed(0)
    if qualname in torch_api.GENERATOR_NOT_ISOLATING:
        # accepted, but the default generator is still drawn from
        assert _draws_global(recipe({"generator": g}))
        return
    with pytest.raises(TypeError):
        recipe({"generator": g})()


@pytest.mark.parametrize("qualname", sorted(ONLY_IF))
def test_only_if_arg(qualname: str) -> None:
    only_if = APIS[qualname].only_if_arg
    assert only_if is not None
    index, keyword = only_if
    func = resolve_qualname(qualname)
    before, active, inactive = ONLY_IF[qualname]
    base = before()
    assert len(base) == index
    assert _draws_global(lambda: func(*before(), active))
    assert not _draws_global(lambda: func(*before(), inactive))
    assert _draws_global(lambda: func(*before(), **{keyword: active}))
    try:
        params = list(inspect.signature(func).parameters)
    except (TypeError, ValueError):
        return  # ATen binding: positions checked by the calls above
    assert params[index] == keyword
    if inspect.signature(func).parameters[keyword].default is not inspect.Parameter.empty:
        # omitting it does not draw either
        assert not _draws_global(lambda: func(*before()))


def test_generator_positions() -> None:
    """generator_position is where `generator` goes positionally; None: keyword-only."""
    positioned = {q for q, a in APIS.items() if a.generator_position is not None}
    # sparse(_) takes a positional generator too, but does not count as accepting one
    assert positioned == set(POSITIONAL) - torch_api.GENERATOR_NOT_ISOLATING
    for qualname, api in APIS.items():
        if not api.accepts_generator:
            assert api.generator_position is None, qualname
            continue
        obj = resolve_qualname(qualname)
        try:
            params = inspect.signature(obj).parameters
        except (TypeError, ValueError):
            params = None  # an ATen binding: its docstring shows the signature
        if params is not None and "generator" in params:
            names = list(params)
            kind = params["generator"].kind
            keyword_only = kind is inspect.Parameter.KEYWORD_ONLY
            assert api.generator_position == (None if keyword_only else names.index("generator"))
        elif params is not None or api.note == "deprecated alias":
            continue  # (*args, **kwargs) forwarders: checked by the calls below
        else:
            doc = (obj.__doc__ or "").strip().split("\n", 1)[0].replace("\\*", "*")
            if doc and api.generator_position is None:
                assert "*, generator" in doc, (qualname, doc)


@pytest.mark.parametrize("qualname", sorted(POSITIONAL))
def test_positional_generator_is_used(qualname: str) -> None:
    g = torch.Generator().manual_seed(0)
    before = g.get_state()
    leaks = qualname in torch_api.GENERATOR_NOT_ISOLATING
    assert _draws_global(partial(POSITIONAL[qualname], g)) == leaks
    assert not torch.equal(before, g.get_state())


def test_forward_modules_do_not_draw_in_eval_mode() -> None:
    for qualname, api in APIS.items():
        if api.draws_on != "forward":
            continue
        assert not _draws_global(resolve_qualname(qualname)), qualname  # construction
        module = resolve_qualname(qualname)().eval()
        x = FORWARD_INPUTS[qualname]()
        assert not _draws_global(partial(module, x)), qualname


def test_never_if_zero() -> None:
    """A literal p = 0 never draws (layers in training mode, the functional forms)."""
    checked = 0
    for qualname, api in APIS.items():
        if api.never_if_zero is None:
            continue
        position, keyword = api.never_if_zero
        if api.draws_on == "forward":
            x = FORWARD_INPUTS[qualname]()
            cls = resolve_qualname(qualname)
            assert _draws_global(partial(cls().train(), x)), qualname
            for layer in (cls(**{keyword: 0.0}), cls(*([0.0] if position == 0 else []))):
                assert not _draws_global(partial(layer.train(), x)), qualname
        else:
            func = resolve_qualname(qualname)
            x = torch.ones(2, 3, 4, 4, 4) if qualname.endswith("3d") else torch.ones(2, 3, 4, 4)
            if qualname.endswith("1d"):
                x = torch.ones(2, 3, 4)
            assert _draws_global(partial(func, x)), qualname
            assert not _draws_global(partial(func, x, **{keyword: 0.0})), qualname
            assert not _draws_global(partial(func, x, *([0.0] * position))), qualname
        checked += 1
    assert checked >= 10


def test_training_arg() -> None:
    """Functional dropouts: training=False never draws; the default (True) draws."""
    checked = 0
    for qualname, api in APIS.items():
        if api.training_arg is None:
            continue
        position, keyword = api.training_arg
        func = resolve_qualname(qualname)
        x = torch.ones(2, 3, 4, 4, 4) if qualname.endswith("3d") else torch.ones(2, 3, 4, 4)
        if qualname.endswith("1d"):
            x = torch.ones(2, 3, 4)
        params = list(inspect.signature(func).parameters)
        assert params[position] == keyword, qualname
        assert inspect.signature(func).parameters[keyword].default is True, qualname
        assert _draws_global(partial(func, x)), qualname
        assert not _draws_global(partial(func, x, **{keyword: False})), qualname
        checked += 1
    assert checked == 4


def test_containers_run_their_modules() -> None:
    """nn.Sequential/ModuleList/ModuleDict hold modules: a Sequential with a dropout draws."""
    for qualname in torch_api.CONTAINERS:
        assert issubclass(resolve_qualname(qualname), nn.Module), qualname
    seq = nn.Sequential(nn.ReLU(), nn.Dropout(0.5))
    assert _draws_global(partial(seq.train(), torch.ones(10)))
    assert not _draws_global(partial(seq.eval(), torch.ones(10)))


def test_dataloader_draws_even_without_shuffle() -> None:
    for shuffle in (False, True):
        loader = data.DataLoader(DATASET, shuffle=shuffle)
        assert _draws_global(partial(iter, loader))
        g = torch.Generator().manual_seed(0)
        loader = data.DataLoader(DATASET, shuffle=shuffle, generator=g)
        assert not _draws_global(partial(list, loader))


def test_iteration_entries_do_not_draw_at_construction() -> None:
    for qualname, api in APIS.items():
        if api.draws_on == "iteration":
            assert not _draws_global(partial(RECIPES[qualname], {})), qualname


def test_tensor_inplace_random() -> None:
    assert torch_api.TENSOR_INPLACE_RANDOM == {
        q.rsplit(".", 1)[1] for q in APIS if q.startswith("torch.Tensor.") and q.endswith("_")
    }
    for method in torch_api.TENSOR_INPLACE_RANDOM:
        assert callable(getattr(torch.Tensor, method, None)), method
        assert knowledge.tensor_inplace_random(method) is APIS[f"torch.Tensor.{method}"]


@pytest.mark.parametrize("seed", [0, 1, 42, 2**40 + 7])
def test_same_stream(seed: int) -> None:
    torch.manual_seed(seed)
    expected = torch.randn(3)
    assert torch.equal(expected, torch.randn(3, generator=torch.Generator().manual_seed(seed)))
    torch.manual_seed(seed)
    expected = torch.randint(0, 1000, (4,))
    g = torch.Generator().manual_seed(seed)
    assert torch.equal(expected, torch.randint(0, 1000, (4,), generator=g))


def test_generated_table_is_introspection_only() -> None:
    generated = {a.qualname for a in _generated_torch.APIS}
    # the hand corrections override generated entries rather than drop them
    assert torch_api.GENERATOR_NOT_ISOLATING <= generated
    assert generated <= set(APIS)
    assert _generated_torch.TORCH_VERSION == torch.__version__


def test_torch_seeding_calls() -> None:
    calls = {q: c for q, c in seeding.SEEDING_CALLS.items() if q.startswith("torch.")}
    assert set(calls) == {
        "torch.manual_seed",
        "torch.set_rng_state",
        "torch.seed",
        "torch.cuda.manual_seed",
        "torch.cuda.manual_seed_all",
    }
    for qualname, call in calls.items():
        func = resolve_qualname(qualname)
        if call.seed_param is not None:
            params = list(inspect.signature(func).parameters)
            assert params[call.seed_param[0]] == call.seed_param[1], qualname
    for alias, target in seeding.ALIASES.items():
        if alias.startswith("torch."):
            assert resolve_qualname(alias) is resolve_qualname(target)
            assert knowledge.seeding_call(knowledge.canonical(alias)) is calls[target]
    assert calls["torch.manual_seed"].seeds == frozenset({"torch"})
    torch.manual_seed(3)
    first = torch.rand(3)
    torch.manual_seed(3)
    assert torch.equal(first, torch.rand(3))
    state = torch.get_rng_state()
    first = torch.rand(3)
    torch.set_rng_state(state)
    assert torch.equal(first, torch.rand(3))
    # torch.seed() reseeds from entropy
    assert calls["torch.seed"].role == "entropy" and not calls["torch.seed"].seeds
    torch.seed()
    first = torch.rand(3)
    torch.seed()
    assert not torch.equal(first, torch.rand(3))


def test_cuda_seeding_does_not_seed_the_cpu_generator() -> None:
    for name in ("manual_seed_all", "manual_seed"):
        assert seeding.SEEDING_CALLS[f"torch.cuda.{name}"].seeds == frozenset()
        torch.seed()
        before = torch.get_rng_state()
        getattr(torch.cuda, name)(5)
        assert torch.equal(before, torch.get_rng_state())
        first = torch.rand(3)
        torch.seed()
        getattr(torch.cuda, name)(5)
        assert not torch.equal(first, torch.rand(3))


def test_explicit_torch_generator() -> None:
    gen = generators.EXPLICIT["torch.Generator"]
    assert gen.seed_param is None and resolve_qualname(gen.qualname) is torch.Generator
    g = torch.Generator().manual_seed(4)
    assert torch.equal(torch.rand(2, generator=g), torch.rand(2, generator=g.manual_seed(4)))


class _DrawingDataset(data.Dataset):  # type: ignore[misc,name-defined]
    """Each item draws from the three global generators (where `__getitem__` runs)."""

    def __len__(self) -> int:
        return 4

    def __getitem__(self, index: int) -> tuple[float, float, float]:
        import random

        import numpy as np

        return random.random(), float(np.random.rand()), float(torch.rand(()).item())


def _seed_random_by_worker(worker_id: int) -> None:
    import random

    random.seed(worker_id)


def _items(
    workers: int, seed: int | None, generator: Any = None, init: Any = None
) -> list[tuple[float, ...]]:
    if seed is not None:
        torch.manual_seed(seed)
    loader = data.DataLoader(
        _DrawingDataset(),
        batch_size=None,
        num_workers=workers,
        generator=generator,
        multiprocessing_context="fork" if workers else None,
        worker_init_fn=init,
    )
    return [tuple(float(v) for v in item) for item in loader]


def test_loader_workers_positions() -> None:
    for qualname, entry in torch_api.LOADER_WORKERS.items():
        params = list(inspect.signature(resolve_qualname(qualname)).parameters)
        positions = (entry.dataset, entry.num_workers, entry.generator, entry.worker_init_fn)
        for position, keyword in positions:
            assert params[position] == keyword, (qualname, keyword)
        assert knowledge.loader_workers(qualname) is entry


def test_loader_workers_seed_from_the_parents_torch_generator() -> None:
    """Workers seed random, numpy and torch from a base seed drawn from torch's generator."""
    entry = torch_api.LOADER_WORKERS["torch.utils.data.DataLoader"]
    assert entry.seeds == {"random", "numpy", "torch"}
    assert _items(2, 0) == _items(2, 0)  # every library's draws repeat
    assert _items(2, None) != _items(2, None)
    seeded = [torch.Generator().manual_seed(1) for _ in range(2)]
    assert _items(2, None, seeded[0]) == _items(2, None, seeded[1])
    # Without workers the dataset draws from the loading process's own generators: seeding
    # torch leaves random and numpy unseeded.
    first, second = _items(0, 0), _items(0, 0)
    assert [i[2] for i in first] == [i[2] for i in second]
    assert [i[0] for i in first] != [i[0] for i in second]
    assert [i[1] for i in first] != [i[1] for i in second]


def test_worker_init_fn_runs_after_the_workers_seeding() -> None:
    """`worker_init_fn` runs in each worker after the reseeding: a constant seed it gives
    `random` holds for the dataset's draws even where torch's generator is unseeded."""
    first = _items(2, None, init=_seed_random_by_worker)
    second = _items(2, None, init=_seed_random_by_worker)
    assert [i[0] for i in first] == [i[0] for i in second]
    assert [i[2] for i in first] != [i[2] for i in second]
