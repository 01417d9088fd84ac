"""Third-party APIs that silently draw from numpy's global generator (SDL006).

Each entry is verified in tests against the installed package's signature (the seed keyword
exists), a sample of them by execution (the global state changes without a seed and stays with
one).  Estimators follow SonarSource S6709's exceptions: flagged only where the algorithm is
actually random with the given arguments.  Checked against scikit-learn 1.9.1, scipy 1.17.1
and pandas 3.1.1.
"""

from __future__ import annotations

from .schema import ThirdPartyDraw as T

_SK = "sklearn"
_SHUFFLE = (("shuffle", "True"),)
_NO_SHUFFLE = (("shuffle", "False"),)
_SPLIT = ("split",)
# scipy's SPEC 7 functions still accept (and honour) the old name of their seed keyword.
_OLD_RANDOM_STATE = ("random_state",)
_OLD_SEED = ("seed",)

_CALLS = [
    T(f"{_SK}.model_selection.train_test_split", "random_state", unless=(("shuffle", "False"),)),
    T(f"{_SK}.model_selection.learning_curve", "random_state", only_if=_SHUFFLE),
    T(f"{_SK}.utils.shuffle", "random_state"),
    T(f"{_SK}.utils.resample", "random_state"),
    *(
        T(f"{_SK}.datasets.{name}", "random_state")
        for name in (
            "make_classification",
            "make_regression",
            "make_blobs",
            "make_moons",
            "make_circles",
            "make_s_curve",
            "make_swiss_roll",
            "make_multilabel_classification",
            "make_gaussian_quantiles",
            "make_hastie_10_2",
            "make_friedman1",
            "make_friedman2",
            "make_friedman3",
            "make_low_rank_matrix",
            "make_sparse_coded_signal",
            "make_sparse_spd_matrix",
            "make_spd_matrix",
            "make_biclusters",
            "make_checkerboard",
            "make_sparse_uncorrelated",
        )
    ),
    # Splitters draw in `split`; one handed to `cross_val_score(cv=...)` is used there.
    *(
        T(
            f"{_SK}.model_selection.{name}",
            "random_state",
            "estimator",
            only_if=_SHUFFLE,
            draw_methods=_SPLIT,
        )
        for name in ("KFold", "StratifiedKFold", "GroupKFold")
    ),
    *(
        T(f"{_SK}.model_selection.{name}", "random_state", "estimator", draw_methods=_SPLIT)
        for name in (
            "ShuffleSplit",
            "StratifiedShuffleSplit",
            "GroupShuffleSplit",
            "RepeatedKFold",
            "RepeatedStratifiedKFold",
        )
    ),
    T(f"{_SK}.model_selection.RandomizedSearchCV", "random_state", "estimator"),
    T(
        f"{_SK}.model_selection.ParameterSampler",
        "random_state",
        "estimator",
        draw_methods=("__iter__",),
    ),
    *(
        T(f"{_SK}.ensemble.{name}", "random_state", "estimator")
        for name in (
            "RandomForestClassifier",
            "RandomForestRegressor",
            "ExtraTreesClassifier",
            "ExtraTreesRegressor",
            "GradientBoostingClassifier",
            "GradientBoostingRegressor",
            "BaggingClassifier",
            "BaggingRegressor",
            "AdaBoostClassifier",
            "AdaBoostRegressor",
            "IsolationForest",
            "RandomTreesEmbedding",
        )
    ),
    # Every fit takes two seeds from the global generator, but the model depends on them only
    # with early stopping (early_stopping=True, or 'auto' on more than 10,000 samples: its
    # validation split), feature subsampling (max_features < 1) or binning more than 200,000
    # samples.  Data sizes are unknown here: flagged only where the arguments make it random.
    *(
        T(
            f"{_SK}.ensemble.{name}",
            "random_state",
            "estimator",
            only_if_any=(("early_stopping", "True"), ("max_features", "<fraction>")),
            note="early_stopping='auto' (the default) also draws on more than 10,000 samples",
        )
        for name in ("HistGradientBoostingClassifier", "HistGradientBoostingRegressor")
    ),
    *(
        T(f"{_SK}.tree.{name}", "random_state", "estimator")
        for name in (
            "DecisionTreeClassifier",
            "DecisionTreeRegressor",
            "ExtraTreeClassifier",
            "ExtraTreeRegressor",
        )
    ),
    # The SGD family draws only to shuffle: with shuffle=False the fit does not depend on
    # the global state (it still takes a seed from it).
    *(
        T(f"{_SK}.linear_model.{name}", "random_state", "estimator", unless=_NO_SHUFFLE)
        for name in (
            "SGDClassifier",
            "SGDRegressor",
            "SGDOneClassSVM",
            "Perceptron",
            "PassiveAggressiveClassifier",
            "PassiveAggressiveRegressor",
        )
    ),
    T(f"{_SK}.linear_model.RANSACRegressor", "random_state", "estimator"),
    T(
        f"{_SK}.linear_model.LogisticRegression",
        "random_state",
        "estimator",
        only_if=(("solver", "'sag'|'saga'|'liblinear'"),),
    ),
    T(
        f"{_SK}.linear_model.Ridge",
        "random_state",
        "estimator",
        only_if=(("solver", "'sag'|'saga'"),),
    ),
    # Coordinate descent always takes a seed from the global generator, but the result only
    # depends on it with selection='random'.
    *(
        T(
            f"{_SK}.linear_model.{name}",
            "random_state",
            "estimator",
            only_if=(("selection", "'random'"),),
        )
        for name in ("Lasso", "ElasticNet")
    ),
    T(f"{_SK}.svm.SVC", "random_state", "estimator", only_if=(("probability", "True"),)),
    T(f"{_SK}.svm.NuSVC", "random_state", "estimator", only_if=(("probability", "True"),)),
    # liblinear's primal solvers (dual=False) are deterministic; the dual ones shuffle.
    # dual='auto' (the default) picks the primal solver when the loss allows it and there are
    # more samples than features: LinearSVC's default squared hinge does (random only with
    # dual=True or loss='hinge', which has no primal solver); LinearSVR's default
    # epsilon-insensitive loss has none, so it goes dual unless the loss is squared.
    T(
        f"{_SK}.svm.LinearSVC",
        "random_state",
        "estimator",
        unless=(("dual", "False"),),
        only_if_any=(("dual", "True"), ("loss", "'hinge'")),
        note="dual='auto' also goes dual (random) with more features than samples",
    ),
    T(
        f"{_SK}.svm.LinearSVR",
        "random_state",
        "estimator",
        unless=(("dual", "False"),),
        only_if_any=(
            ("dual", "True"),
            ("loss", "<absent>"),
            ("loss", "'epsilon_insensitive'"),
        ),
        note="dual='auto' with the squared loss also goes dual with more features than samples",
    ),
    T(f"{_SK}.neural_network.MLPClassifier", "random_state", "estimator"),
    T(f"{_SK}.neural_network.MLPRegressor", "random_state", "estimator"),
    # KMeans with an array of initial centres is deterministic (MiniBatchKMeans is not: it
    # samples its mini-batches).
    T(f"{_SK}.cluster.KMeans", "random_state", "estimator", unless=(("init", "<array>"),)),
    *(
        T(f"{_SK}.cluster.{name}", "random_state", "estimator")
        for name in ("MiniBatchKMeans", "BisectingKMeans", "SpectralClustering")
    ),
    *(
        T(f"{_SK}.decomposition.{name}", "random_state", "estimator")
        for name in (
            "TruncatedSVD",
            "NMF",
            "FastICA",
            "LatentDirichletAllocation",
            "MiniBatchNMF",
            "MiniBatchDictionaryLearning",
        )
    ),
    # Not DictionaryLearning and SparsePCA: they start from an SVD and take a number from
    # the generator only to replace an atom that no sample uses (degenerate data).
    T(
        f"{_SK}.decomposition.PCA",
        "random_state",
        "estimator",
        only_if=(("svd_solver", "'randomized'|'arpack'"),),
        note="svd_solver='auto' (the default) also goes randomized on large inputs",
    ),
    # TSNE's default init='pca' runs PCA(svd_solver='auto'): deterministic except on large
    # inputs (like PCA's entry); an array init is deterministic too.
    T(
        f"{_SK}.manifold.TSNE",
        "random_state",
        "estimator",
        only_if=(("init", "'random'"),),
        note="init='pca' (the default) also goes randomized on large inputs",
    ),
    T(f"{_SK}.manifold.MDS", "random_state", "estimator"),
    T(f"{_SK}.manifold.SpectralEmbedding", "random_state", "estimator"),
    T(f"{_SK}.mixture.GaussianMixture", "random_state", "estimator"),
    T(f"{_SK}.mixture.BayesianGaussianMixture", "random_state", "estimator"),
    T(f"{_SK}.kernel_approximation.RBFSampler", "random_state", "estimator"),
    T(f"{_SK}.kernel_approximation.Nystroem", "random_state", "estimator"),
    T(f"{_SK}.random_projection.GaussianRandomProjection", "random_state", "estimator"),
    T(f"{_SK}.random_projection.SparseRandomProjection", "random_state", "estimator"),
    T(
        f"{_SK}.dummy.DummyClassifier",
        "random_state",
        "estimator",
        only_if=(("strategy", "'stratified'|'uniform'"),),
    ),
    T(
        f"{_SK}.impute.IterativeImputer",
        "random_state",
        "estimator",
        only_if=(("sample_posterior", "True"),),
        note="experimental: needs `import sklearn.experimental.enable_iterative_imputer`",
    ),
    T(f"{_SK}.feature_selection.mutual_info_classif", "random_state"),
    T(f"{_SK}.feature_selection.mutual_info_regression", "random_state"),
    T(f"{_SK}.inspection.permutation_importance", "random_state"),
    # scipy.stats distributions: `<dist>.rvs(...)` without random_state (frozen or not).
    T("scipy.stats.rv_continuous.rvs", "random_state", "method"),
    T("scipy.stats.rv_discrete.rvs", "random_state", "method"),
    T("scipy.stats.bootstrap", "rng", legacy_seed_keywords=_OLD_RANDOM_STATE),
    T("scipy.stats.permutation_test", "rng", legacy_seed_keywords=_OLD_RANDOM_STATE),
    T("scipy.optimize.differential_evolution", "rng", legacy_seed_keywords=_OLD_SEED),
    T("scipy.sparse.random", "rng", legacy_seed_keywords=_OLD_RANDOM_STATE),
    T("scipy.cluster.vq.kmeans2", "rng", legacy_seed_keywords=_OLD_SEED),
    # pandas: `.sample(...)` on a DataFrame/Series without random_state.
    T("pandas.DataFrame.sample", "random_state", "method"),
    T("pandas.Series.sample", "random_state", "method"),
]

# scikit-learn meta-estimators: building one with estimators fits none of them; fitting it
# fits them (clones of them) (tests/test_knowledge_thirdparty.py builds and fits each around
# a recording estimator).  An estimator handed to one draws where the wrapper is fitted.
META_ESTIMATORS: frozenset[str] = frozenset(
    f"{_SK}.{name}"
    for name in (
        "pipeline.Pipeline", "pipeline.make_pipeline", "pipeline.FeatureUnion",
        "pipeline.make_union", "compose.ColumnTransformer", "compose.make_column_transformer",
        "compose.TransformedTargetRegressor", "model_selection.GridSearchCV",
        "model_selection.RandomizedSearchCV", "multiclass.OneVsRestClassifier",
        "multiclass.OneVsOneClassifier", "multiclass.OutputCodeClassifier",
        "multioutput.MultiOutputClassifier", "multioutput.MultiOutputRegressor",
        "multioutput.ClassifierChain", "multioutput.RegressorChain",
        "calibration.CalibratedClassifierCV", "feature_selection.SelectFromModel",
        "feature_selection.RFE", "feature_selection.RFECV",
        "feature_selection.SequentialFeatureSelector", "ensemble.BaggingClassifier",
        "ensemble.BaggingRegressor", "ensemble.AdaBoostClassifier", "ensemble.VotingClassifier",
        "ensemble.VotingRegressor", "ensemble.StackingClassifier", "ensemble.StackingRegressor",
    )
)  # fmt: skip

# Ensembles that give each estimator they fit a seed drawn from their own `random_state`:
# a seeded ensemble seeds the estimators it holds (scikit-learn's `_set_random_states`).
SEEDS_HELD_ESTIMATORS: frozenset[str] = frozenset(
    f"{_SK}.ensemble.{name}"
    for name in ("BaggingClassifier", "BaggingRegressor", "AdaBoostClassifier")
)

# Re-exports: where users import these from.
ALIASES: dict[str, str] = {
    "sklearn.model_selection._split.train_test_split": "sklearn.model_selection.train_test_split",
}

THIRDPARTY_DRAWS: dict[str, T] = {t.qualname: t for t in _CALLS}

# Packages whose random functions, given no seed, fall back to the global generators of these
# libraries, and whose calls no table here describes: importing one is enough for `--fix` to
# count the global generator as shared (measured with networkx 3.6: `gnp_random_graph` draws
# from `random`, `random_layout` from numpy's global RandomState).
GLOBAL_GENERATOR_PACKAGES: dict[str, tuple[str, ...]] = {
    "networkx": ("random", "numpy"),
}
