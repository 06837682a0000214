"""Look inside through LiteRT, for the light install: the picture branch's maps read from the
model's own `.tflite`, without TensorFlow.

The interpreter keeps every intermediate tensor (`experimental_preserve_all_tensors`).
The picture's branch is followed from the image input through the graph: each
operation whose computed inputs all come from the branch belongs to it (the
sum with the path's votes does not). A convolution (its batch normalisation and
ReLU are folded into it) is one stage, so is each pooling, and the dense layer
gives the picture's votes, as `inside.Inspector` shows them from Keras. What
TensorFlow alone can give, the integrated-gradients saliency, is None here;
the view says what to install for it.
"""

from __future__ import annotations

import os
import threading
import warnings
from pathlib import Path

import numpy as np

from mnist_pad.errors import ModelFileError
from mnist_pad.ink.path import no_path
from mnist_pad.model.inside import CAPTIONS, CONVOLUTION, DENSE, INPUT, OUTPUT, PATH_OUTPUT, POOLING, Inside, Stage

_KINDS = {"CONV_2D": CONVOLUTION, "MAX_POOL_2D": POOLING, "AVERAGE_POOL_2D": POOLING, "FULLY_CONNECTED": DENSE}


def _weights(interpreter, detail: dict) -> np.ndarray | None:
    """A convolution's kernel as Keras holds it, (k, k, in, out), dequantised; None when it cannot be read."""
    try:
        kernel = np.asarray(interpreter.get_tensor(detail["index"]), np.float32)
    except ValueError:
        return None
    scales = detail.get("quantization_parameters", {}).get("scales")
    if kernel.ndim != 4:
        return None
    if scales is not None and len(scales):
        kernel = kernel * np.asarray(scales, np.float32).reshape(-1, 1, 1, 1)
    return kernel.transpose(1, 2, 3, 0)


class LiteInspector:
    """One LiteRT model's insides, for any digit (the same `look` as inside.Inspector, no saliency)."""

    def __init__(self, litert_model: bytes, name: str = "model") -> None:
        from ai_edge_litert.interpreter import Interpreter

        try:
            with warnings.catch_warnings():  # "intended for debugging": keeping every map is the point here
                warnings.simplefilter("ignore", UserWarning)
                self._interpreter = Interpreter(
                    model_content=litert_model, experimental_preserve_all_tensors=True, num_threads=1
                )
            self._interpreter.allocate_tensors()
        except (ValueError, RuntimeError) as exc:
            raise ModelFileError(f"{name}: LiteRT cannot read it ({exc}).") from exc
        self._lock = threading.Lock()
        inputs = self._interpreter.get_input_details()
        pictures = [d for d in inputs if len(d["shape"]) == 4]
        paths = [d for d in inputs if len(d["shape"]) == 3]
        if len(pictures) != 1:
            raise ModelFileError(f"{name}: no 28x28 picture input to look inside.")
        self._picture = pictures[0]["index"]
        self._path = paths[0]["index"] if paths else None
        self.reads_path = self._path is not None
        self._output = self._interpreter.get_output_details()[0]["index"]
        self._stages = self._trace(name)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> LiteInspector:
        path = Path(path)
        try:
            return cls(path.read_bytes(), path.name)
        except OSError as exc:
            raise ModelFileError(f"{path}: cannot be read ({exc.strerror or exc}).") from exc

    def _trace(self, name: str) -> list[tuple[str, str, str, int, np.ndarray | None]]:
        """(kind, title, caption, output tensor, kernel) for each stage of the picture's branch."""
        details = {d["index"]: d for d in self._interpreter.get_tensor_details()}
        operations = [op for op in self._interpreter._get_ops_details() if op["op_name"] != "DELEGATE"]
        produced = {t for op in operations for t in op["outputs"]}
        reached, stages, counts = {self._picture}, [], {CONVOLUTION: 0, POOLING: 0, DENSE: 0}
        for op in operations:
            used = [t for t in op["inputs"] if t >= 0]
            computed = [t for t in used if t in produced or t in (self._picture, self._path)]
            if not computed or not all(t in reached for t in computed):
                continue
            reached.update(op["outputs"])
            kind = _KINDS.get(op["op_name"])
            output = op["outputs"][0]
            if kind is None or (kind == CONVOLUTION and len(details[output]["shape"]) != 4):
                continue
            counts[kind] += 1
            if kind == CONVOLUTION:
                kernel = _weights(self._interpreter, details[used[1]])
                size = details[used[1]]["shape"]
                caption = CAPTIONS[CONVOLUTION].format(n=int(size[0]), k=int(size[1]))
                stages.append((kind, f"Convolution {counts[kind]}", caption, output, kernel))
            elif kind == POOLING:
                pool = int(details[used[0]]["shape"][1]) // max(1, int(details[output]["shape"][1]))
                stages.append((kind, f"Pooling {counts[kind]}", CAPTIONS[POOLING].format(p=pool), output, None))
            else:
                title = "Votes of the picture" if counts[kind] == 1 else "Dense"
                stages.append((kind, title, CAPTIONS[DENSE], output, None))
        if not stages:
            raise ModelFileError(f"{name}: its picture branch has no layers that can be shown.")
        return stages

    def _run(self, image: np.ndarray, path: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
        self._interpreter.set_tensor(self._picture, image.reshape(1, 28, 28, 1))
        if self._path is not None:
            self._interpreter.set_tensor(self._path, path[None])
        self._interpreter.invoke()
        maps = [np.array(self._interpreter.get_tensor(stage[3]))[0] for stage in self._stages]
        return maps, np.array(self._interpreter.get_tensor(self._output))[0]

    def look(self, image: np.ndarray, path: np.ndarray | None, explain: int | None = None) -> Inside:
        image = np.asarray(image, np.float32).reshape(28, 28, 1)
        path = no_path() if path is None else np.asarray(path, np.float32).reshape(no_path().shape)
        with self._lock:
            maps, answer = self._run(image, path)
            picture_alone = self._run(image, no_path())[1] if self.reads_path else None
            path_alone = self._run(np.zeros_like(image), path)[1] if self.reads_path else None
        stages = [Stage(INPUT, "Input", CAPTIONS[INPUT], "input", image[..., 0])]
        stages += [
            Stage(kind, title, caption, str(tensor), values, kernel)
            for (kind, title, caption, tensor, kernel), values in zip(self._stages, maps, strict=True)
        ]
        stages.append(
            Stage(OUTPUT, "Output", CAPTIONS[OUTPUT] + (PATH_OUTPUT if self.reads_path else ""), "output", answer)
        )
        return Inside(
            stages=tuple(stages),
            explained=int(answer.argmax()) if explain is None else int(explain),
            saliency=None,
            answer=answer,
            picture_alone=picture_alone,
            path_alone=path_alone,
            path=path if self.reads_path else None,
        )
