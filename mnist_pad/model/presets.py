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

from mnist_pad.ink.reading import DIGITS

INPUT_SHAPE = (28, 28, 1)
#: Digits 0-9; a model may add an eleventh output, "not a digit".
NUM_CLASSES = DIGITS + 1
#: Output sizes a model may have: ten digits (the seed, older models) or ten plus "not a digit".
OUTPUT_SIZES = (DIGITS, NUM_CLASSES)


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

    def build(self, total_steps: int = 1) -> keras.Model:
        """A compiled model; `total_steps` sizes the learning-rate schedule."""
        return self._build(max(1, total_steps))

    @property
    def typical_samples(self) -> int:
        """Training images with MNIST, the pendigits .tra writers and the training letters at hand."""
        if self.num_classes == DIGITS:
            return 60_000
        return 60_000 + 7_494 * self.pen_variants + 2 * 3_023 * self.letter_variants  # letters + as many synthetic

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


def _conv_block(x: keras.KerasTensor, filters: int, kernel: int) -> keras.KerasTensor:
    from keras import layers

    x = layers.Conv2D(filters, kernel, use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    return layers.ReLU()(x)


def _compact_cnn(
    total_steps: int, name: str, widths: tuple[int, int, int] = (32, 64, 128), peak_lr: float = 3e-3
) -> keras.Model:
    """The bundled network: a small VGG-style CNN, 3-5 M multiply-adds depending on `widths`.

    Valid convolutions and early pooling keep the compute small enough for
    sub-millisecond inference; batch normalisation folds into the convolutions
    when exported, so it costs nothing at inference time.
    """
    import keras
    from keras import layers

    inputs = keras.Input(INPUT_SHAPE)
    x = _conv_block(inputs, widths[0], 5)  # 24x24
    x = layers.MaxPooling2D()(x)  # 12x12
    x = _conv_block(x, widths[1], 3)  # 10x10
    x = layers.MaxPooling2D()(x)  # 5x5
    x = _conv_block(x, widths[2], 3)  # 3x3
    x = layers.Flatten()(x)
    x = layers.Dropout(0.3)(x)
    # Logits apart from the softmax, so that calibration can scale them (calibration.py).
    logits = layers.Dense(NUM_CLASSES, name=LOGITS_LAYER)(x)
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
    """The bundled network with augmentation; presets differ in width, schedule and data."""
    return Preset(
        name=name,
        summary=summary,
        epochs=epochs,
        batch_size=128,
        augment=True,
        max_params=300_000,
        seconds_per_epoch=seconds_per_epoch,
        _build=lambda steps: _compact_cnn(steps, name, widths),
        pen_variants=pen_variants,
        letter_variants=letter_variants,
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
            26,
            "The bundled model: compact CNN, MNIST + pen digits + not-a-digit, full schedule",
            widths=(40, 80, 160),
            pen_variants=3,
            letter_variants=2,
            seconds_per_epoch=36.0,
        ),
        _compact_preset(
            "quick",
            6,
            "A narrower network on a short schedule, one rendering of each pen digit: for retraining in the app",
            widths=(32, 64, 128),
            pen_variants=1,
            letter_variants=1,
            seconds_per_epoch=24.0,
        ),
    )
}


def get_preset(name: str) -> Preset:
    try:
        return PRESETS[name]
    except KeyError:
        raise ValueError(f"unknown preset {name!r}; choose one of: {', '.join(PRESETS)}") from None
