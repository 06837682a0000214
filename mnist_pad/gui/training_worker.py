"""Training on a QThread: the same `training.train` as train.py, reported through signals."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QThread, Signal

from mnist_pad.datasets import pendigits
from mnist_pad.datasets.mnist import DownloadError, load_mnist
from mnist_pad.datasets.pendigits import resolve_folder as resolve_pen_folder
from mnist_pad.datasets.sample_images import SampleArrays
from mnist_pad.datasets.unipen_files import read_samples
from mnist_pad.errors import MnistPadError, TrainingCancelled
from mnist_pad.ink.reading import DIGITS
from mnist_pad.model.compare import CHECK_FIGURES, Verdict, biggest_shift, load_check_set, measure, verdict
from mnist_pad.model.evaluate import classify_test_set
from mnist_pad.model.inference import Classifier
from mnist_pad.model.presets import get_preset
from mnist_pad.model.training_data import LETTER_HOLDOUT, for_preset, resolve_letters, resolve_pen_digits


@dataclass(frozen=True)
class TrainingJob:
    preset: str
    epochs: int
    batch_size: int
    data_folder: str | None  # None: MNIST_PAD_DATA, else Keras's download
    current_model: bytes  # LiteRT form of the model in use, measured on the same test set
    work_dir: Path  # where the candidate model is written
    pen_folder: str | None = None  # the UCI pendigits files; "": none; None: MNIST_PAD_PEN_DATA
    letters_file: str | None = None  # "not a digit" examples; "": none; None: MNIST_PAD_LETTERS
    pen_digits_file: str | None = None  # the UNIPEN digits; "": none; None: MNIST_PAD_PEN_DIGITS
    #: Personalise instead: fine-tune this .keras model on these samples (images, labels, paths).
    base_model: Path | None = None
    samples: SampleArrays | None = None


def rendering_stage(
    uses_pen_data: bool, pen_folder: str | None, letters_file: str | None, pen_digits_file: str | None
) -> str | None:
    """What the worker says while it renders pen data: only what was given (None: nothing to render)."""
    if not uses_pen_data:
        return None
    pen_given = resolve_pen_folder(pen_folder) or resolve_pen_digits(pen_digits_file)
    given = {"pen-written digits": pen_given, "letters": resolve_letters(letters_file)}
    what = [name for name, path in given.items() if path]
    return f"Rendering {' and '.join(what)}…" if what else None


@dataclass(frozen=True)
class TrainingOutcome:
    candidate: Path  # .keras, with .tflite and .json beside it
    litert_model: bytes
    metrics: dict[str, Any]  # the new model's (training.train's record)
    current: dict[str, Any]  # the model in use: accuracy, per_class, confusion
    #: Every figure of both models (model/compare.py): "in_use", "new"; and "shift", the biggest change in words.
    comparison: dict[str, Any] = field(default_factory=dict)

    @property
    def verdict(self) -> Verdict:
        return verdict(self.comparison.get("in_use", {}), self.comparison.get("new", {}))

    def info(self) -> dict[str, Any]:
        """What the history keeps about this model: a name, where it came from, its headline figures."""
        new = self.comparison.get("new", {})
        when = time.strftime("%Y-%m-%d %H:%M")
        if "samples" in self.metrics:
            name, origin = f"fine-tuned {when}", f"fine-tuned on {self.metrics['samples']} of your samples"
        else:
            data = " + ".join(self.metrics.get("train_composition", {"mnist": 0})).replace("_", " ")
            name = f"{self.metrics.get('preset', 'model')} {when}"
            origin = f"retrained: preset {self.metrics.get('preset')}, {self.metrics.get('epochs')} epochs, on {data}"
        # The check set's figures: what My models shows for every model, the bundled one included.
        figures = {"mnist": new.get("mnist", self.metrics.get("accuracy"))}
        figures.update({key: new.get(key) for key in CHECK_FIGURES})
        return {"name": name, "origin": origin, "figures": {k: v for k, v in figures.items() if v is not None}}


class TrainingWorker(QThread):
    progressed = Signal(object)  # training.Progress
    stageChanged = Signal(str)  # what happens before and after the epochs
    succeeded = Signal(object)  # TrainingOutcome
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, job: TrainingJob, parent=None) -> None:
        super().__init__(parent)
        self.job = job

    def cancel(self) -> None:
        self.requestInterruption()  # Qt's own flag, safe to read from the training thread

    def _check(self) -> None:
        if self.isInterruptionRequested():
            raise TrainingCancelled("cancelled")

    def run(self) -> None:
        try:
            outcome = self._train()
        except TrainingCancelled:
            self.cancelled.emit()
        except DownloadError as exc:  # the dialog's own field, not the command line's flags
            self.failed.emit(
                f"{exc.reason}. Choose \u201cWhat ships with the pad\u201d under Training data (it needs no "
                "network), or give MNIST folder a folder that holds MNIST's four .gz files, or connect to the "
                "network and start again."
            )
        except MnistPadError as exc:
            self.failed.emit(str(exc))
        except OSError as exc:  # disk full, no permission: saving the candidate failed
            self.failed.emit(f"Could not write the new model to {self.job.work_dir}: {exc.strerror or exc}")
        except Exception as exc:  # a failure inside TensorFlow must still reach the person
            self.failed.emit(f"Training failed: {type(exc).__name__}: {exc}")
        else:
            self.succeeded.emit(outcome)

    def _train(self) -> TrainingOutcome:
        job = self.job
        self.stageChanged.emit("Reading MNIST…")
        data = load_mnist(job.data_folder)
        self._check()
        self.stageChanged.emit("Starting TensorFlow…")
        from mnist_pad.model.model_io import litert_path_for, save_model
        from mnist_pad.model.training import train

        self._check()
        if job.samples is not None and job.base_model is not None:  # Learn: refit the model in use
            from mnist_pad.model.model_io import load_keras
            from mnist_pad.model.personalise import fine_tune

            images, labels, paths, strokes = job.samples
            result = fine_tune(
                load_keras(job.base_model),
                images,
                labels,
                data,
                paths=paths,
                strokes=strokes,
                epochs=job.epochs,
                on_progress=self.progressed.emit,
                should_cancel=self.isInterruptionRequested,
            )
        else:
            preset = get_preset(job.preset)
            rendering = rendering_stage(
                preset.num_classes > DIGITS, job.pen_folder, job.letters_file, job.pen_digits_file
            )
            if rendering:
                self.stageChanged.emit(rendering)
            built = for_preset(
                preset,
                data,
                job.pen_folder,
                job.letters_file,
                pen_digits_file=job.pen_digits_file,
                on_stage=self.stageChanged.emit,
                should_cancel=self.isInterruptionRequested,
            )
            self._check()
            result = train(
                job.preset,
                built.data,
                epochs=job.epochs,
                batch_size=job.batch_size,
                on_progress=self.progressed.emit,
                should_cancel=self.isInterruptionRequested,
                calibration=built.calibration,
            )
            result.metrics["train_composition"] = built.composition
            result.metrics["notes"] = built.notes
        self.stageChanged.emit("Saving…")
        candidate = save_model(result.model, job.work_dir / "candidate.keras", result.metrics)
        litert_model = litert_path_for(candidate).read_bytes()
        self._check()  # cancelled while saving: the dialog removes the files
        self.stageChanged.emit("Comparing the new model with the one in use…")
        in_use = Classifier(job.current_model, "model in use")  # its own interpreter: no lock contention
        current = classify_test_set(in_use, data)
        comparison = self._compare(in_use, Classifier(litert_model, "new model"), data, current, result.metrics)
        self._check()
        return TrainingOutcome(candidate, litert_model, result.metrics, current, comparison)

    def _compare(self, in_use, new, data, current: dict[str, Any], metrics: dict[str, Any]) -> dict[str, Any]:
        """Both models on every measure: MNIST, the shipped check set, and the held-out pen writers and
        letters when their files were given."""
        check = load_check_set()
        job = self.job
        pen_digits, letters = [], []
        folder = resolve_pen_folder(job.pen_folder)
        if folder is not None and job.samples is None:
            held_out = pendigits.load_split(folder, "test")
            pen_digits = held_out.samples if held_out is not None else []
        letters_file = resolve_letters(job.letters_file)
        if letters_file is not None and job.samples is None:
            samples = read_samples(letters_file, "letters", should_cancel=self.isInterruptionRequested)[0]
            letters = [s for s in samples if s.label is None and s.source in LETTER_HOLDOUT]
        new_report = classify_test_set(new, data)
        figures: dict[str, Any] = {"in_use": {"mnist": current["accuracy"]}, "new": {"mnist": new_report["accuracy"]}}
        for key, model in (("in_use", in_use), ("new", new)):
            self._check()
            figures[key].update(measure(model, check, pen_digits, letters))
        if "samples_accuracy_before" in metrics:
            figures["in_use"]["samples"] = metrics["samples_accuracy_before"]
            figures["new"]["samples"] = metrics["samples_accuracy_after"]
        figures["shift"] = biggest_shift(current["confusion"], new_report["confusion"])
        return figures
