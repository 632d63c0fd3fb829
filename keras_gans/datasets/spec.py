"""`DataSpec`: what a dataset yields, for everything downstream of it."""

import dataclasses
import json
from typing import Optional

import numpy as np

from keras_gans.datasets import labels as labels_lib
from keras_gans.datasets import mixtures


@dataclasses.dataclass(frozen=True)
class DataSpec:
    """What a dataset yields.

    Attributes:
        name: the dataset's name.
        kind: "points" (float vectors) or "image" (H, W, C in [-1, 1]).
        sample_shape: shape of one sample, e.g. (2,) or (64, 64, 3).
        modes: (K, D) array of mixture centers, for points data with known
            modes (mode coverage and scatter plots); else None.
        mode_std: the mixture components' standard deviation, or None.
        label_spec: a `labels.LabelSpec` for labelled data (the dataset
            then yields (samples, labels) batches); None for unlabelled
            data (it yields samples only).
    """

    name: str
    kind: str
    sample_shape: tuple
    modes: Optional[np.ndarray] = None
    mode_std: Optional[float] = None
    label_spec: Optional[labels_lib.LabelSpec] = None

    def to_json(self):
        """JSON of everything but the modes (a function of the name)."""
        return json.dumps({
            "name": self.name,
            "kind": self.kind,
            "sample_shape": list(self.sample_shape),
            "label_spec": (self.label_spec.to_dict()
                           if self.label_spec else None),
        }, indent=2)

    @classmethod
    def from_json(cls, text):
        values = json.loads(text)
        spec = cls(
            name=values["name"],
            kind=values["kind"],
            sample_shape=tuple(values["sample_shape"]),
            label_spec=(labels_lib.LabelSpec.from_dict(values["label_spec"])
                        if values["label_spec"] else None),
        )
        if spec.kind == "points" and spec.name in mixtures.MIXTURE_NAMES:
            spec = mixture_spec(spec.name)
        return spec


def mixture_spec(name):
    """The `DataSpec` of a 2-D mixture, with its modes."""
    return DataSpec(
        name=name,
        kind="points",
        sample_shape=(2,),
        modes=mixtures.mixture_modes(name),
        mode_std=mixtures.mixture_std(name),
    )
