"""Training on a QThread: the same `training.train` as train.py, reported through signals."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QThread, Signal

from mnist_pad.errors import MnistPadError, TrainingCancelled


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
    #: Personalise instead: fine-tune this .keras model on these (images, labels).
    base_model: Path | None = None
    samples: tuple[Any, Any] | None = None


@dataclass(frozen=True)
class TrainingOutcome:
    candidate: Path  # .keras, with .tflite and .json beside it
    litert_model: bytes
    metrics: dict[str, Any]  # the new model's (training.train's record)
    current: dict[str, Any]  # the model in use: accuracy, per_class, confusion


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
        except MnistPadError as exc:
            self.failed.emit(str(exc))
        except OSError as exc:  # disk full, no permission: saving the candidate failed
            self.failed.emit(f"Could not write the new model to {self.job.work_dir}: {exc.strerror or exc}")
        except Exception as exc:  # a failure inside TensorFlow must still reach the person
            self.failed.emit(f"Training failed: {type(exc).__name__}: {exc}")
        else:
            self.succeeded.emit(outcome)

    def _train(self) -> TrainingOutcome:
        from mnist_pad.datasets.mnist import load_mnist
        from mnist_pad.model.evaluate import classify_test_set
        from mnist_pad.model.inference import Classifier

        job = self.job
        self.stageChanged.emit("Reading MNIST…")
        data = load_mnist(job.data_folder)
        self._check()
        self.stageChanged.emit("Starting TensorFlow…")
        from mnist_pad.model.model_io import litert_path_for, save_model
        from mnist_pad.model.training import train

        self._check()
        if job.samples is not None:  # Learn from my samples: fine-tune the model in use
            from mnist_pad.model.model_io import load_keras
            from mnist_pad.model.personalise import fine_tune

            result = fine_tune(
                load_keras(job.base_model),
                *job.samples,
                data,
                epochs=job.epochs,
                on_progress=self.progressed.emit,
                should_cancel=self.isInterruptionRequested,
            )
        else:
            from mnist_pad.model.presets import get_preset
            from mnist_pad.model.training_data import for_preset

            self.stageChanged.emit("Rendering pen-written digits and letters…")
            built = for_preset(get_preset(job.preset), data, job.pen_folder, job.letters_file)
            self._check()
            result = train(
                job.preset,
                built.data,
                epochs=job.epochs,
                batch_size=job.batch_size,
                on_progress=self.progressed.emit,
                should_cancel=self.isInterruptionRequested,
            )
            result.metrics["train_composition"] = built.composition
            result.metrics["notes"] = built.notes
        self.stageChanged.emit("Measuring the model in use…")
        in_use = Classifier(job.current_model, "model in use")  # its own interpreter: no lock contention
        current = classify_test_set(in_use, data)
        self._check()
        self.stageChanged.emit("Saving…")
        candidate = save_model(result.model, job.work_dir / "candidate.keras", result.metrics)
        outcome = TrainingOutcome(candidate, litert_path_for(candidate).read_bytes(), result.metrics, current)
        self._check()  # cancelled while saving: the dialog removes the files
        return outcome
