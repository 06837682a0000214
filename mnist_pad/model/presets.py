"""Named model recipes: the architecture, loss, optimiser and schedule of each.

Importing this module is cheap: Keras is imported only inside `build`, so the
GUI can list presets and estimate durations without loading TensorFlow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import keras

from mnist_pad.ink.path import PATH_SHAPE
from mnist_pad.ink.reading import DIGITS

INPUT_SHAPE = (28, 28, 1)
#: The inputs' names in a model that reads the pen's path beside the picture (inference tells them
#: apart by shape, so that a model saved by another tool opens too).
IMAGE_INPUT, PATH_INPUT = "image", "path"
#: The path encoder's channels (its last two convolutions share the third).
PATH_WIDTHS = (64, 96, 128)
#: Digits 0-9; a model may add an eleventh output, "not a digit".
NUM_CLASSES = DIGITS + 1
#: Output sizes a model may have: ten digits (the seed, older models) or ten plus "not a digit".
OUTPUT_SIZES = (DIGITS, NUM_CLASSES)
#: What a model file must be, said when it is not.
SIGNATURE = (
    "MNIST Pad needs a float32 28x28x1 image in (and, beside it, the pen's 64x5 path, or nothing) "
    'and 10 digit probabilities (or 11, with "not a digit") out.'
)


@dataclass(frozen=True)
class Preset:
    name: str
    summary: str
    epochs: int
    batch_size: int
    augment: bool
    max_params: int
    #: Seconds per 60,000 training images on the reference 2-core machine (README): the
    #: estimate before this machine has measured its own (duration.py).
    seconds_per_epoch: float
    _build: Callable[[int], keras.Model]
    #: 10 (digits only) or 11 (digits and "not a digit").
    num_classes: int = NUM_CLASSES
    #: Renderings of each pen-written digit and of each letter (training_data.py).
    pen_variants: int = 4
    letter_variants: int = 3
    #: Reads the pen's path (ink/path.py) beside the picture: a second input.
    reads_path: bool = False

    def build(self, total_steps: int = 1) -> keras.Model:
        """A compiled model; `total_steps` sizes the learning-rate schedule."""
        return self._build(max(1, total_steps))

    @property
    def typical_samples(self) -> int:
        """Training images with MNIST, the pendigits .tra writers and the training letters at hand."""
        if self.num_classes == DIGITS:
            return 60_000
        pen_digits = 7_494 + (UNIPEN_TRAINING_DIGITS if self.reads_path else 0)
        return 60_000 + pen_digits * self.pen_variants + 2 * 3_023 * self.letter_variants  # letters + synthetic

    @property
    def reference_rate(self) -> float:
        """Training images per second on the reference 2-core machine."""
        return 60_000 / self.seconds_per_epoch


def _seed_model(total_steps: int) -> keras.Model:
    """The network of the original write-up (../shared/seed), layer for layer."""
    import keras
    from keras import layers

    model = keras.Sequential(
        [
            keras.Input(INPUT_SHAPE),
            layers.Conv2D(32, (4, 4), activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Conv2D(32, (3, 3), activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Dropout(0.3),
            layers.Flatten(),
            layers.Dense(DIGITS, activation="softmax"),
        ],
        name="seed",
    )
    model.compile(loss="mean_squared_error", optimizer="sgd", metrics=["accuracy"])
    return model


LOGITS_LAYER = "logits"
#: Digits from the UNIPEN writers that train (datasets/unipen.py): 5,899 less 1,599 for validation.
UNIPEN_TRAINING_DIGITS = 4_300


def _conv_block(x: keras.KerasTensor, filters: int, kernel: int) -> keras.KerasTensor:
    from keras import layers

    x = layers.Conv2D(filters, kernel, use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    return layers.ReLU()(x)


def _image_features(inputs: keras.KerasTensor, widths: tuple[int, int, int]) -> keras.KerasTensor:
    """A small VGG-style CNN: valid convolutions and early pooling keep it under 5 M multiply-adds;
    batch normalisation folds into the convolutions when exported, so it costs nothing to run."""
    from keras import layers

    x = _conv_block(inputs, widths[0], 5)  # 24x24
    x = layers.MaxPooling2D()(x)  # 12x12
    x = _conv_block(x, widths[1], 3)  # 10x10
    x = layers.MaxPooling2D()(x)  # 5x5
    x = _conv_block(x, widths[2], 3)  # 3x3
    x = layers.Flatten()(x)
    return layers.Dropout(0.3)(x)


def path_encoder(inputs: keras.KerasTensor, widths: tuple[int, int, int]) -> keras.KerasTensor:
    """1-D convolutions along the path (where the pen went, in which direction, where it lifted),
    pooled over the whole length: a style is recognised wherever in the drawing order it comes."""
    from keras import layers

    x = inputs
    for filters, kernel, pool in (
        (widths[0], 5, False),
        (widths[1], 5, True),
        (widths[2], 3, True),
        (widths[2], 3, False),
    ):
        x = layers.Conv1D(filters, kernel, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization()(x)
        x = layers.ReLU()(x)
        if pool:
            x = layers.MaxPooling1D()(x)
    x = layers.Concatenate()([layers.GlobalAveragePooling1D()(x), layers.GlobalMaxPooling1D()(x)])
    return layers.Dropout(0.3)(x)


def _compact_cnn(
    total_steps: int,
    name: str,
    widths: tuple[int, int, int] = (32, 64, 128),
    peak_lr: float = 3e-3,
) -> keras.Model:
    """The bundled network: the picture's CNN and a path encoder beside it.

    Each branch gives its own eleven logits and the answer is their sum: the product of the two
    opinions, as a committee of experts would give it. A drawing without a path (MNIST, an image
    file) has an all-zero path, which training pairs with every MNIST digit and with a share of the
    pen digits, so the sum then is the picture's opinion.
    """
    import keras
    from keras import layers

    image = keras.Input(INPUT_SHAPE, name=IMAGE_INPUT)
    path = keras.Input(PATH_SHAPE, name=PATH_INPUT)
    image_logits = layers.Dense(NUM_CLASSES, name="image_logits")(_image_features(image, widths))
    path_logits = layers.Dense(NUM_CLASSES, name="path_logits")(path_encoder(path, PATH_WIDTHS))
    # Logits apart from the softmax, so that calibration can scale them (calibration.py).
    logits = layers.Add(name=LOGITS_LAYER)([image_logits, path_logits])
    inputs = [image, path]
    outputs = layers.Softmax(name="probabilities")(logits)
    model = keras.Model(inputs, outputs, name=name)
    warmup = max(1, total_steps // 20)
    schedule = keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=peak_lr / 10,
        decay_steps=max(1, total_steps - warmup),
        warmup_target=peak_lr,
        warmup_steps=warmup,
        alpha=0.01,
    )
    model.compile(
        loss="categorical_crossentropy",
        optimizer=keras.optimizers.Adam(schedule),
        metrics=["accuracy"],
    )
    return model


def _compact_preset(
    name: str,
    epochs: int,
    summary: str,
    *,
    widths: tuple[int, int, int],
    pen_variants: int,
    letter_variants: int,
    seconds_per_epoch: float,
) -> Preset:
    """The bundled network (picture and path) with augmentation; presets differ in width, schedule and data."""
    return Preset(
        name=name,
        summary=summary,
        epochs=epochs,
        batch_size=128,
        augment=True,
        max_params=450_000,
        seconds_per_epoch=seconds_per_epoch,
        _build=lambda steps: _compact_cnn(steps, name, widths),
        pen_variants=pen_variants,
        letter_variants=letter_variants,
        reads_path=True,
    )


PRESETS: dict[str, Preset] = {
    preset.name: preset
    for preset in (
        Preset(
            name="seed",
            summary="The original write-up: 2 conv layers, MSE loss, plain SGD (94.6%)",
            epochs=20,
            batch_size=32,
            augment=False,
            max_params=20_000,
            seconds_per_epoch=9.4,
            _build=_seed_model,
            num_classes=DIGITS,
        ),
        _compact_preset(
            "default",
            12,
            "The bundled model: compact CNN and path encoder, MNIST + pen digits + not-a-digit, full schedule",
            widths=(32, 64, 128),
            pen_variants=3,
            letter_variants=2,
            seconds_per_epoch=39.0,
        ),
        _compact_preset(
            "quick",
            3,
            "The same network on a short schedule, one rendering of each pen digit: for retraining in the app",
            widths=(32, 64, 128),
            pen_variants=1,
            letter_variants=1,
            seconds_per_epoch=37.0,
        ),
    )
}


def get_preset(name: str) -> Preset:
    try:
        return PRESETS[name]
    except KeyError:
        raise ValueError(f"unknown preset {name!r}; choose one of: {', '.join(PRESETS)}") from None
