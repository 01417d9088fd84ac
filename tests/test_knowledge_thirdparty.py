"""The third-party table (SDL006) against the installed scikit-learn, scipy and pandas.

Signatures for every entry; execution for a sample: without a seed the call advances numpy's
global RandomState, with one it leaves it alone.  The global state is restored afterwards.
"""

from __future__ import annotations

import inspect
import re
import warnings
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import pytest

from seedlint import knowledge
from seedlint.knowledge import thirdparty

from .conftest import require, resolve_qualname

np = require("numpy")
sklearn = require("sklearn")
require("sklearn.experimental.enable_iterative_imputer")  # IterativeImputer is experimental
scipy_stats = require("scipy.stats")
pd = require("pandas")

DRAWS = thirdparty.THIRDPARTY_DRAWS


@pytest.fixture(autouse=True)
def restore_numpy_global() -> Iterator[None]:
    state = np.random.get_state()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence warnings of tiny fits
        try:
            yield
        finally:
            np.random.set_state(state)


def _accepts(func: Any, keyword: str) -> bool:
    """`keyword` is a parameter, or is documented for a `**kwargs` function (scipy's rvs)."""
    params = inspect.signature(func).parameters
    if keyword in params:
        return True
    takes_kwargs = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    doc = inspect.getdoc(func) or ""
    return takes_kwargs and re.search(rf"^\s*{keyword}\s*:", doc, re.M) is not None


@pytest.mark.parametrize("qualname", sorted(DRAWS))
def test_entry_resolves_and_takes_the_seed_keyword(qualname: str) -> None:
    entry = DRAWS[qualname]
    obj = resolve_qualname(qualname)
    if entry.kind == "estimator":
        assert inspect.isclass(obj), qualname
    assert callable(obj)
    assert _accepts(obj, entry.seed_keyword), (qualname, entry.seed_keyword)
    for keyword in entry.legacy_seed_keywords:
        assert _accepts(obj, keyword), (qualname, keyword)
    for keyword, _ in entry.only_if + entry.unless:
        assert keyword in inspect.signature(obj).parameters, (qualname, keyword)


def test_aliasesresolve_qualname() -> None:
    for alias, target in thirdparty.ALIASES.items():
        assert resolve_qualname(alias) is resolve_qualname(target)
        assert knowledge.thirdparty_draw(knowledge.canonical(alias)) is DRAWS[target]


def _draws_global(action: Callable[[], Any]) -> bool:
    before = np.random.get_state()
    action()
    after = np.random.get_state()
    return not (np.array_equal(before[1], after[1]) and before[2:] == after[2:])


X, Y = (
    np.random.RandomState(0).rand(40, 4),
    np.array([0, 1] * 20),
)
FRAME = pd.DataFrame({"a": range(10)})


def _split(splitter: Any) -> Callable[[], Any]:
    return lambda: list(splitter.split(X, Y))


def _fit(estimator: Any) -> Callable[[], Any]:
    return lambda: estimator.fit(X, Y)


ms = require("sklearn.model_selection")
ensemble = require("sklearn.ensemble")
linear_model = require("sklearn.linear_model")
svm = require("sklearn.svm")

# qualname -> (unseeded action, seeded action)
EXECUTED: dict[str, tuple[Callable[[], Any], Callable[[], Any]]] = {
    "sklearn.model_selection.train_test_split": (
        lambda: ms.train_test_split(X, Y),
        lambda: ms.train_test_split(X, Y, random_state=0),
    ),
    "sklearn.model_selection.KFold": (
        _split(ms.KFold(3, shuffle=True)),
        _split(ms.KFold(3, shuffle=True, random_state=0)),
    ),
    "sklearn.ensemble.RandomForestClassifier": (
        _fit(ensemble.RandomForestClassifier(n_estimators=3)),
        _fit(ensemble.RandomForestClassifier(n_estimators=3, random_state=0)),
    ),
    "scipy.stats.rv_continuous.rvs": (
        lambda: scipy_stats.norm.rvs(size=3),
        lambda: scipy_stats.norm.rvs(size=3, random_state=0),
    ),
    "scipy.stats.rv_discrete.rvs": (
        lambda: scipy_stats.poisson(2.0).rvs(size=3),
        lambda: scipy_stats.poisson(2.0).rvs(size=3, random_state=0),
    ),
    "pandas.DataFrame.sample": (lambda: FRAME.sample(3), lambda: FRAME.sample(3, random_state=0)),
    "pandas.Series.sample": (
        lambda: FRAME["a"].sample(3),
        lambda: FRAME["a"].sample(3, random_state=0),
    ),
    "sklearn.model_selection.learning_curve": (
        lambda: ms.learning_curve(linear_model.Ridge(), X, Y, cv=2, shuffle=True),
        lambda: ms.learning_curve(linear_model.Ridge(), X, Y, cv=2, shuffle=True, random_state=0),
    ),
    "sklearn.linear_model.Lasso": (
        _fit(linear_model.Lasso(alpha=0.01, selection="random")),
        _fit(linear_model.Lasso(alpha=0.01, selection="random", random_state=0)),
    ),
    "sklearn.svm.LinearSVR": (
        _fit(svm.LinearSVR(max_iter=50)),
        _fit(svm.LinearSVR(max_iter=50, random_state=0)),
    ),
    "scipy.stats.bootstrap": (
        lambda: scipy_stats.bootstrap((X[:, 0],), np.mean, n_resamples=20),
        lambda: scipy_stats.bootstrap((X[:, 0],), np.mean, n_resamples=20, rng=0),
    ),
}


@pytest.mark.parametrize("qualname", sorted(EXECUTED))
def test_execution_draws_without_seed_only(qualname: str) -> None:
    assert qualname in DRAWS
    unseeded, seeded = EXECUTED[qualname]
    assert _draws_global(unseeded)
    assert not _draws_global(seeded)


def test_conditions_by_execution() -> None:
    """only_if / unless: the calls that the conditions exempt really do not draw."""
    assert not _draws_global(lambda: ms.train_test_split(X, Y, shuffle=False))
    assert not _draws_global(_split(ms.KFold(3)))
    assert not _draws_global(_fit(linear_model.LogisticRegression()))
    assert _draws_global(_fit(linear_model.LogisticRegression(solver="liblinear")))
    assert not _draws_global(lambda: ms.learning_curve(linear_model.Ridge(), X, Y, cv=2))
    # Lasso's default selection='cyclic' advances the global state, but deterministically:
    # the fitted model does not depend on it.
    first = linear_model.Lasso(alpha=0.01).fit(X, Y).coef_
    np.random.seed(99)
    assert np.array_equal(first, linear_model.Lasso(alpha=0.01).fit(X, Y).coef_)


def _same_fit(make: Callable[[], Any], fit: Callable[[Any], Any], attr: str) -> bool:
    """Whether the fitted result is the same whatever numpy's global state."""
    np.random.seed(1)
    first = getattr(fit(make()), attr)
    np.random.seed(2)
    return bool(np.allclose(first, getattr(fit(make()), attr)))


def test_unless_conditions_make_fits_independent_of_the_global_state() -> None:
    """The argument conditions of issue 10: with them the fit does not depend on numpy's
    global generator; without them it does (on this data)."""
    cluster = require("sklearn.cluster")
    manifold = require("sklearn.manifold")
    entries = {q: e for q, e in DRAWS.items() if e.unless}
    assert DRAWS["sklearn.cluster.KMeans"].unless == (("init", "<array>"),)
    assert not _draws_global(lambda: cluster.KMeans(2, init=X[:2], n_init=1).fit(X))
    assert not _same_fit(
        lambda: cluster.KMeans(2, n_init=1), lambda m: m.fit(X), "cluster_centers_"
    )
    assert DRAWS["sklearn.manifold.TSNE"].only_if == (("init", "'random'"),)
    assert not _draws_global(
        lambda: manifold.TSNE(2, init=X[:, :2], perplexity=5, max_iter=250).fit(X)
    )
    # The default init='pca' on small data: PCA's exact solver, nothing drawn.
    assert not _draws_global(lambda: manifold.TSNE(2, perplexity=5, max_iter=250).fit(X))
    assert not _same_fit(
        lambda: manifold.TSNE(2, init="random", perplexity=5, max_iter=250),
        lambda m: m.fit(X),
        "embedding_",
    )
    sgd_family = [
        q
        for q, e in entries.items()
        if e.kind == "estimator" and e.unless == (("shuffle", "False"),)
    ]
    assert len(sgd_family) == 6
    for qualname in sgd_family:
        cls = resolve_qualname(qualname)
        fit = (lambda m: m.fit(X)) if "OneClass" in qualname else (lambda m: m.fit(X, Y))
        assert _same_fit(partial(cls, shuffle=False, max_iter=5), fit, "coef_"), qualname
    assert not _same_fit(lambda: linear_model.SGDClassifier(max_iter=5), _fit_xy, "coef_")
    for qualname in ("sklearn.svm.LinearSVC", "sklearn.svm.LinearSVR"):
        assert DRAWS[qualname].unless == (("dual", "False"),)
        cls = resolve_qualname(qualname)
        extra = {"loss": "squared_epsilon_insensitive"} if qualname.endswith("SVR") else {}
        assert _same_fit(partial(cls, dual=False, **extra), _fit_xy, "coef_"), qualname
    assert not _same_fit(lambda: svm.LinearSVC(dual=True, max_iter=20), _fit_xy, "coef_")


def _fit_xy(model: Any) -> Any:
    return model.fit(X, Y)


def test_estimators_draw_in_their_draw_methods_not_in_init() -> None:
    """Building an estimator draws nothing; its draw methods exist and draw."""
    checked = 0
    for qualname, entry in DRAWS.items():
        if entry.kind != "estimator":
            continue
        cls = resolve_qualname(qualname)
        required = [
            p
            for p in inspect.signature(cls).parameters.values()
            if p.default is inspect.Parameter.empty and p.kind is p.POSITIONAL_OR_KEYWORD
        ]
        if not required:
            assert not _draws_global(cls), qualname
        assert any(callable(getattr(cls, m, None)) for m in entry.draw_methods), qualname
        checked += 1
    assert checked > 40
    assert _draws_global(lambda: list(ms.ParameterSampler({"a": [1, 2, 3]}, n_iter=2)))
    assert _draws_global(lambda: list(ms.ShuffleSplit(2).split(X)))
    assert _draws_global(lambda: ensemble.RandomForestClassifier(n_estimators=2).fit(X, Y))


def test_legacy_seed_keywords_seed() -> None:
    """scipy's SPEC 7 functions still honour their old seed keyword."""
    sparse = require("scipy.sparse")
    optimize = require("scipy.optimize")
    vq = require("scipy.cluster.vq")
    sample = X[:, 0]
    assert not _draws_global(
        lambda: scipy_stats.bootstrap((sample,), np.mean, n_resamples=20, random_state=0)
    )
    assert not _draws_global(lambda: sparse.random(4, 4, density=0.5, random_state=0))
    assert _draws_global(lambda: sparse.random(4, 4, density=0.5))
    assert not _draws_global(
        lambda: optimize.differential_evolution(
            lambda v: float((v**2).sum()), [(-1, 1)], maxiter=2, seed=0
        )
    )
    assert not _draws_global(lambda: vq.kmeans2(X[:, :2], 2, seed=0))
    assert _draws_global(lambda: vq.kmeans2(X[:, :2], 2))


def test_check_random_state_is_the_global() -> None:
    """Why an unseeded estimator draws from numpy's global: None means the singleton."""
    utils = require("sklearn.utils")
    mtrand = require("numpy.random.mtrand")
    assert utils.check_random_state(None) is mtrand._rand


def _table_says_random(qualname: str, arguments: str) -> bool:
    """What the analysis decides for `Estimator(arguments).fit(X, Y)` written in a file."""
    from seedlint.analysis.draws import global_draw_library
    from seedlint.analysis.extract import extract_facts

    module, _, name = qualname.rpartition(".")
    source = f"from {module} import {name}\nm = {name}({arguments})\nm.fit(X, Y)\n"
    facts = extract_facts(source, "fit_one.py")
    return any(global_draw_library(c) == "numpy" for c in facts.calls)


def _model_depends_on_global_state(make: Callable[[], Any], y: Any, attr: str) -> bool:
    """`attr`: a fitted attribute, or "predict" (the fitted model's predictions on XS)."""

    def fitted() -> Any:
        model = make().fit(XS, y)
        if attr != "predict":
            return getattr(model, attr)
        # Probabilities, not labels: two slightly different models often agree on labels.
        return model.predict_proba(XS) if hasattr(model, "predict_proba") else model.predict(XS)

    np.random.seed(1)
    first = fitted()
    np.random.seed(2)
    return not bool(np.allclose(first, fitted()))


# More samples than features, a signal to fit (LinearSVC/HistGradientBoosting need one).
XS = np.random.RandomState(3).randn(80, 5)
YS = (XS[:, 0] + 0.3 * np.random.RandomState(4).randn(80) > 0).astype(int)
YR = XS[:, 0] + 0.1 * np.random.RandomState(5).randn(80)


@pytest.mark.parametrize(
    ("qualname", "arguments", "target", "attr"),
    [
        ("sklearn.svm.LinearSVC", "", "class", "coef_"),
        ("sklearn.svm.LinearSVC", "dual='auto'", "class", "coef_"),
        ("sklearn.svm.LinearSVC", "dual=True, max_iter=20", "class", "coef_"),
        ("sklearn.svm.LinearSVC", "loss='hinge', max_iter=20", "class", "coef_"),
        ("sklearn.svm.LinearSVC", "dual=False", "class", "coef_"),
        ("sklearn.svm.LinearSVR", "max_iter=20", "regression", "coef_"),
        ("sklearn.svm.LinearSVR", "loss='epsilon_insensitive', max_iter=20", "regression", "coef_"),
        ("sklearn.svm.LinearSVR", "loss='squared_epsilon_insensitive'", "regression", "coef_"),
        ("sklearn.svm.LinearSVR", "dual=True, loss='squared_epsilon_insensitive', max_iter=20",
         "regression", "coef_"),
        ("sklearn.ensemble.HistGradientBoostingClassifier", "max_iter=20", "class", "predict"),
        ("sklearn.ensemble.HistGradientBoostingClassifier", "max_iter=20, early_stopping=True",
         "class", "predict"),
        ("sklearn.ensemble.HistGradientBoostingClassifier", "max_iter=20, max_features=0.5",
         "class", "predict"),
        ("sklearn.ensemble.HistGradientBoostingClassifier", "max_iter=20, max_features=1.0",
         "class", "predict"),
        ("sklearn.ensemble.HistGradientBoostingRegressor", "max_iter=20", "regression",
         "predict"),
        ("sklearn.ensemble.HistGradientBoostingRegressor", "max_iter=20, early_stopping=True",
         "regression", "predict"),
    ],
)  # fmt: skip
def test_argument_conditions_agree_with_the_fit(
    qualname: str, arguments: str, target: str, attr: str
) -> None:
    """The analysis reports an unseeded fit exactly when the fitted model depends on numpy's
    global state (small data: more samples than features, fewer than 10,000 samples)."""
    cls = resolve_qualname(qualname)
    make = eval(f"lambda: cls({arguments})", {"cls": cls})  # the same text the analysis reads
    y = YS if target == "class" else YR
    assert _table_says_random(qualname, arguments) == _model_depends_on_global_state(
        make, y, attr
    ), (qualname, arguments)


def test_svd_started_dictionary_learning_is_not_in_the_table() -> None:
    """DictionaryLearning and SparsePCA start from an SVD: an ordinary fit leaves numpy's
    global state alone (they draw only to replace an unused atom), so they are no entry;
    MiniBatchDictionaryLearning shuffles its batches and is one."""
    decomposition = require("sklearn.decomposition")
    data = np.random.RandomState(0).randn(20, 8)
    for name in ("DictionaryLearning", "SparsePCA"):
        assert f"sklearn.decomposition.{name}" not in DRAWS
        estimator = getattr(decomposition, name)()
        assert not _draws_global(partial(estimator.fit, data)), name
    assert "sklearn.decomposition.MiniBatchDictionaryLearning" in DRAWS
    assert _draws_global(
        lambda: decomposition.MiniBatchDictionaryLearning(batch_size=4, max_iter=10).fit(data)
    )


class _Recording(sklearn.base.ClassifierMixin, sklearn.base.BaseEstimator):  # type: ignore[misc]
    """Counts its fits (clones included): what a meta-estimator does with it."""

    fits = 0

    def __init__(self, c: int = 1) -> None:
        self.c = c

    def fit(self, X: Any, y: Any = None, sample_weight: Any = None) -> _Recording:
        type(self).fits += 1
        X = np.asarray(X)
        self.classes_ = np.unique(y) if y is not None else np.array([0, 1])
        self.n_features_in_ = X.shape[1]
        self.coef_ = np.arange(1.0, X.shape[1] + 1)[None, :]
        self.feature_importances_ = self.coef_[0]
        return self

    def predict(self, X: Any) -> Any:
        return np.zeros(len(X), dtype=int)

    def predict_proba(self, X: Any) -> Any:
        proba = np.zeros((len(X), len(self.classes_)))
        proba[:, 0] = 1
        return proba

    def decision_function(self, X: Any) -> Any:
        return np.zeros(len(X))

    def transform(self, X: Any) -> Any:
        return np.asarray(X)


class _RecordingRegressor(sklearn.base.RegressorMixin, _Recording):  # type: ignore[misc]
    pass


def _meta_builders() -> dict[str, tuple[Callable[[Any], Any], bool]]:
    """How to build each meta-estimator around `est`, and whether it wants 2-D targets."""
    from sklearn import calibration, compose, ensemble, multiclass, multioutput, pipeline
    from sklearn import feature_selection as fs
    from sklearn import model_selection as ms

    return {
        "pipeline.Pipeline": (lambda e: pipeline.Pipeline([("m", e)]), False),
        "pipeline.make_pipeline": (lambda e: pipeline.make_pipeline(e), False),
        "pipeline.FeatureUnion": (lambda e: pipeline.FeatureUnion([("m", e)]), False),
        "pipeline.make_union": (lambda e: pipeline.make_union(e), False),
        "compose.ColumnTransformer": (lambda e: compose.ColumnTransformer([("m", e, [0])]), False),
        "compose.make_column_transformer": (
            lambda e: compose.make_column_transformer((e, [0])),
            False,
        ),
        "compose.TransformedTargetRegressor": (
            lambda e: compose.TransformedTargetRegressor(regressor=e),
            False,
        ),
        "model_selection.GridSearchCV": (lambda e: ms.GridSearchCV(e, {"c": [1]}, cv=2), False),
        "model_selection.RandomizedSearchCV": (
            lambda e: ms.RandomizedSearchCV(e, {"c": [1]}, n_iter=1, cv=2, random_state=0),
            False,
        ),
        "multiclass.OneVsRestClassifier": (multiclass.OneVsRestClassifier, False),
        "multiclass.OneVsOneClassifier": (multiclass.OneVsOneClassifier, False),
        "multiclass.OutputCodeClassifier": (
            lambda e: multiclass.OutputCodeClassifier(e, random_state=0),
            False,
        ),
        "multioutput.MultiOutputClassifier": (multioutput.MultiOutputClassifier, True),
        "multioutput.MultiOutputRegressor": (multioutput.MultiOutputRegressor, True),
        "multioutput.ClassifierChain": (multioutput.ClassifierChain, True),
        "multioutput.RegressorChain": (multioutput.RegressorChain, True),
        "calibration.CalibratedClassifierCV": (
            lambda e: calibration.CalibratedClassifierCV(e, cv=2),
            False,
        ),
        "feature_selection.SelectFromModel": (fs.SelectFromModel, False),
        "feature_selection.RFE": (lambda e: fs.RFE(e, n_features_to_select=1), False),
        "feature_selection.RFECV": (lambda e: fs.RFECV(e, cv=2), False),
        "feature_selection.SequentialFeatureSelector": (
            lambda e: fs.SequentialFeatureSelector(e, n_features_to_select=1, cv=2),
            False,
        ),
        "ensemble.BaggingClassifier": (
            lambda e: ensemble.BaggingClassifier(e, n_estimators=2, random_state=0),
            False,
        ),
        "ensemble.BaggingRegressor": (
            lambda e: ensemble.BaggingRegressor(e, n_estimators=2, random_state=0),
            False,
        ),
        "ensemble.AdaBoostClassifier": (
            lambda e: ensemble.AdaBoostClassifier(e, n_estimators=2, random_state=0),
            False,
        ),
        "ensemble.VotingClassifier": (lambda e: ensemble.VotingClassifier([("m", e)]), False),
        "ensemble.VotingRegressor": (lambda e: ensemble.VotingRegressor([("m", e)]), False),
        "ensemble.StackingClassifier": (
            lambda e: ensemble.StackingClassifier([("m", e)], cv=2),
            False,
        ),
        "ensemble.StackingRegressor": (
            lambda e: ensemble.StackingRegressor([("m", e)], cv=2),
            False,
        ),
    }


def test_meta_estimators_fit_what_they_hold_only_when_fitted() -> None:
    builders = _meta_builders()
    assert {f"sklearn.{name}" for name in builders} == thirdparty.META_ESTIMATORS
    X = np.arange(40.0).reshape(20, 2)
    y = np.array([0, 1] * 10)
    for name, (build, two_d) in builders.items():
        regressor = "Regressor" in name
        held = _RecordingRegressor() if regressor else _Recording()
        _Recording.fits = _RecordingRegressor.fits = 0
        wrapper = build(held)
        assert type(held).fits == 0, f"{name} fits when built"
        wrapper.fit(X, np.stack([y, y], 1) if two_d else y)
        assert type(held).fits > 0, f"{name} does not fit what it holds"
        assert knowledge.meta_estimator(f"sklearn.{name}")


def test_seeded_ensembles_seed_the_estimators_they_hold() -> None:
    from sklearn.tree import DecisionTreeClassifier

    X = np.random.RandomState(0).rand(40, 3)
    y = np.array([0, 1] * 20)
    for qualname in sorted(thirdparty.SEEDS_HELD_ESTIMATORS):
        cls = resolve_qualname(qualname)
        states = []
        for global_seed in (1, 2):
            np.random.seed(global_seed)
            fitted = cls(DecisionTreeClassifier(max_features=1), n_estimators=3, random_state=0)
            fitted.fit(X, y)
            states.append([e.random_state for e in fitted.estimators_])
        assert states[0] == states[1], qualname
        assert all(s is not None for s in states[0]), qualname
