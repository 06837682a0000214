"""Look inside a model: what each stage of the picture's network makes of one digit, and why it answered.

`Inspector` takes the Keras model (TensorFlow imported here, only when the
person opens the view) and follows the picture's branch from its input layer
by layer. A convolution with its batch normalisation and ReLU is one stage
(what the next layer reads); each pooling is a stage; each dense layer is a
stage (its votes). Layers that only reshape or, at training time, drop
(Flatten, Dropout) are not shown. Any model the pad can hold works: the
bundled one, `seed`, retrained, fine-tuned, one input or two.

Where the answer comes from: integrated gradients (Sundararajan et al., 2017)
of the picture branch's vote for the class answered, from a blank field to the
digit in `IG_STEPS` steps. Unlike a plain gradient they add up to how much the
picture moved that vote, and unlike occlusion they need one batched pass, not
one per patch. For a model that reads the path as well, the picture's vote is
its own dense layer (`image_logits`), which the path does not touch; the
path's share shows as "the path alone".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from mnist_pad.errors import ModelFileError
from mnist_pad.ink.path import PATH_SHAPE, no_path
from mnist_pad.model.inputs import model_inputs, reads_path
from mnist_pad.model.model_io import check_signature
from mnist_pad.model.presets import INPUT_SHAPE

if TYPE_CHECKING:
    import os

    import keras

#: Steps of the integrated-gradients path (midpoint rule), in one batch. On 60 dev digits, 32 steps give
#: maps within 1.6% (median L1) of 512 steps', and sums within 3% of the change in the vote; 64 halve
#: that error and double the time.
IG_STEPS = 32

CONVOLUTION, POOLING, DENSE, INPUT, OUTPUT = "convolution", "pooling", "dense", "input", "output"
_FOLDED = ("BatchNormalization", "ReLU", "Activation", "LeakyReLU")
_POOLS = ("MaxPooling2D", "AveragePooling2D")
_PASSING = ("Flatten", "Dropout", "Reshape", "SpatialDropout2D", "GaussianNoise")

CAPTIONS = {
    INPUT: "What the network sees: your ink cut out, scaled into a 20×20 box and centred in a 28×28 "
    "field by its centre of mass, as MNIST's digits were made.",
    CONVOLUTION: "A convolution slides {n} small {k}×{k} filters over the stage before. Each map shows where "
    "its filter's pattern is found (an edge, a curve, a stroke's end): bright is a strong match.",
    POOLING: "Pooling keeps the strongest response in each {p}×{p} square: the maps get smaller, and a "
    "pattern found a pixel further along counts the same.",
    DENSE: "Every feature votes for each answer with a weight learned in training. These are the "
    "picture's votes (logits), before they become probabilities.",
    OUTPUT: "The answer: softmax turns the votes into probabilities that add up to 100%.",
}
#: What the output adds for a model that reads the path too.
PATH_OUTPUT = " The path's own votes are added to the picture's first: two opinions, one answer."


@dataclass(frozen=True)
class Stage:
    """One step of the picture's network for one digit."""

    kind: str  # INPUT, CONVOLUTION, POOLING, DENSE or OUTPUT
    title: str
    caption: str
    layer: str  # the Keras layer whose output `values` is
    values: np.ndarray  # (h, w, channels) maps, or (n,) votes
    filters: np.ndarray | None = None  # a convolution's kernels, (k, k, in, out)


@dataclass(frozen=True)
class Inside:
    """Everything the view shows about one digit."""

    stages: tuple[Stage, ...]
    explained: int  # the class whose vote the saliency explains
    saliency: np.ndarray | None  # (28, 28) signed integrated gradients (positive raised the vote); None: LiteRT
    answer: np.ndarray  # the model's probabilities
    picture_alone: np.ndarray | None  # None: the model reads the picture only
    path_alone: np.ndarray | None
    path: np.ndarray | None  # (64, 5) the path the network read, None for a picture-only model


def image_branch(model: keras.Model) -> list[keras.layers.Layer]:
    """The layers fed, one after another, by the picture alone, in order."""
    import keras

    if isinstance(model, keras.Sequential):  # one input, one chain (a loaded one's layers have no graph links)
        return list(model.layers)
    reached, chain = {id(model.inputs[0])}, []  # the picture: check_signature puts it first
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        source = layer.input
        if not isinstance(source, list | tuple) and id(source) in reached:
            chain.append(layer)
            reached.add(id(layer.output))
    return chain


def _stages_of(chain: list[keras.layers.Layer]) -> list[tuple[str, str, keras.layers.Layer, keras.layers.Layer]]:
    """(kind, title, first layer, layer shown) for each stage of the branch."""
    stages: list[list] = []
    counts = {CONVOLUTION: 0, POOLING: 0, DENSE: 0}
    for layer in chain:
        kind = type(layer).__name__
        if kind == "Conv2D":
            counts[CONVOLUTION] += 1
            stages.append([CONVOLUTION, f"Convolution {counts[CONVOLUTION]}", layer, layer])
        elif kind in _FOLDED and stages and stages[-1][0] == CONVOLUTION:
            stages[-1][3] = layer  # the maps after normalisation and ReLU: what the next stage reads
        elif kind in _POOLS:
            counts[POOLING] += 1
            stages.append([POOLING, f"Pooling {counts[POOLING]}", layer, layer])
        elif kind == "Dense":
            counts[DENSE] += 1
            stages.append([DENSE, "Votes of the picture" if counts[DENSE] == 1 else "Dense", layer, layer])
        elif kind in _FOLDED and stages:
            stages[-1][3] = layer
        elif kind not in _PASSING:
            stages.append([DENSE if len(layer.output.shape) == 2 else POOLING, layer.name, layer, layer])
    return [tuple(s) for s in stages]


def _caption(kind: str, first: keras.layers.Layer) -> str:
    if kind == OUTPUT:
        return CAPTIONS[OUTPUT]
    if kind == CONVOLUTION:
        return CAPTIONS[kind].format(n=first.filters, k=first.kernel_size[0])
    if kind == POOLING and hasattr(first, "pool_size"):
        return CAPTIONS[kind].format(p=first.pool_size[0])
    return CAPTIONS.get(kind, "")


class Inspector:
    """One model's insides, ready to show for any digit. Builds its TensorFlow functions once."""

    def __init__(self, model: keras.Model) -> None:
        import keras
        import tensorflow as tf

        check_signature(model, model.name)
        self._stages = _stages_of(image_branch(model))
        if not self._stages:
            raise ModelFileError(f"{model.name}: its picture branch has no layers that can be shown.")
        self._model = model
        self.reads_path = reads_path(model)
        self._output = model.layers[-1]
        if self._stages[-1][3] is self._output:  # the picture's last layer is the answer (seed): say so
            self._stages[-1] = (OUTPUT, "Output", *self._stages[-1][2:])
        shown = [last.output for _, _, _, last in self._stages]
        self._kernels = [
            np.asarray(first.kernel) if kind == CONVOLUTION else None for kind, _, first, _ in self._stages
        ]
        self._activations = keras.Model(model.inputs, [*shown, model.outputs[0]])
        votes = next((last for kind, _, _, last in reversed(self._stages) if kind == DENSE), self._stages[-1][3])
        self._votes = keras.Model(model.inputs[0], votes.output)
        self._forward = tf.function(lambda inputs: self._activations(inputs, training=False), reduce_retracing=True)

        def integrated_gradients(image: tf.Tensor, target: tf.Tensor) -> tf.Tensor:
            alphas = tf.reshape((tf.range(IG_STEPS, dtype=tf.float32) + 0.5) / IG_STEPS, (-1, 1, 1, 1))  # midpoints
            steps = alphas * image[None]
            with tf.GradientTape() as tape:
                tape.watch(steps)
                vote = tf.gather(self._votes(steps, training=False), target, axis=1)
            gradients = tape.gradient(vote, steps)
            return image * tf.reduce_mean(gradients, axis=0)

        spec = tf.TensorSpec(INPUT_SHAPE, tf.float32)
        self._integrated = tf.function(integrated_gradients, input_signature=[spec, tf.TensorSpec((), tf.int32)])
        self.look(np.zeros(INPUT_SHAPE[:2], np.float32), None)  # trace now, not at the first pen-up

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Inspector:
        from mnist_pad.model.model_io import load_keras

        return cls(load_keras(path))

    def look(self, image: np.ndarray, path: np.ndarray | None, explain: int | None = None) -> Inside:
        """The stages, saliency and answers for one 28x28 image and its path (None: none known).
        `explain`: the class to explain (the answer given), else the most probable."""
        image = np.asarray(image, np.float32).reshape(INPUT_SHAPE)
        path = no_path() if path is None else np.asarray(path, np.float32).reshape(PATH_SHAPE)
        if self.reads_path:  # the digit, the picture alone, the path alone: one batch
            images = np.stack([image, image, np.zeros_like(image)])
            paths = np.stack([path, no_path(), path])
        else:
            images, paths = image[None], path[None]
        *maps, output = (np.asarray(o) for o in self._forward(model_inputs(self._model, images, paths)))
        answer = output[0]
        target = int(answer.argmax()) if explain is None else int(explain)
        saliency = np.asarray(self._integrated(image, np.int32(target)))[..., 0]
        stages = [
            Stage(INPUT, "Input", CAPTIONS[INPUT], "input", image[..., 0]),
            *(
                Stage(
                    kind,
                    title,
                    _caption(kind, first),
                    last.name,
                    values[0],
                    kernels,
                )
                for (kind, title, first, last), values, kernels in zip(self._stages, maps, self._kernels, strict=True)
            ),
        ]
        if stages[-1].kind != OUTPUT:
            caption = CAPTIONS[OUTPUT] + (PATH_OUTPUT if self.reads_path else "")
            stages.append(Stage(OUTPUT, "Output", caption, self._output.name, answer))
        return Inside(
            stages=tuple(stages),
            explained=target,
            saliency=saliency,
            answer=answer,
            picture_alone=output[1] if self.reads_path else None,
            path_alone=output[2] if self.reads_path else None,
            path=path if self.reads_path else None,
        )
