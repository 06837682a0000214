"""Round three's defects in the window: models opened, used, saved and exported as the person
chose, and nothing of theirs replaced or lost unasked."""

import json
import shutil
import zipfile

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from mnist_pad.model.model_io import MAX_PARAMS, litert_path_for
from mnist_pad.resources import assets_dir


def choose_save(monkeypatch, name) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(name), ""))


def choose_open(monkeypatch, name) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(name), ""))


@pytest.mark.parametrize(
    "typed, written",
    [
        ("digits.v2", ["digits.v2.keras", "digits.v2.tflite"]),
        ("digits 1.5", ["digits 1.5.keras", "digits 1.5.tflite"]),
        ("digits.keras.bak", ["digits.keras.bak.keras", "digits.keras.bak.tflite"]),
        ("digits.keras", ["digits.keras", "digits.tflite"]),
    ],
)
def test_save_model_as_writes_the_name_chosen(qtbot, window_factory, tmp_path, monkeypatch, typed, written):
    """D2: "digits.v2" wrote digits.keras and digits.tflite, overwriting both unasked."""
    window = window_factory()
    choose_save(monkeypatch, tmp_path / typed)
    window.save_model_as()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".keras", ".tflite")) == sorted(written)
    assert (tmp_path / written[0]).read_bytes() == window.model_path.read_bytes()


def test_save_model_as_asks_before_replacing_a_file_the_dialog_did_not_ask_about(
    qtbot, window_factory, tmp_path, monkeypatch, answer_questions
):
    window = window_factory()
    (tmp_path / "digits.keras").write_bytes(b"my other model")
    (tmp_path / "digits.tflite").write_bytes(b"its LiteRT form")
    choose_save(monkeypatch, tmp_path / "digits.keras")  # the dialog asked about this one only
    asked = answer_questions(QMessageBox.StandardButton.No)
    window.save_model_as()
    assert len(asked) == 1 and "digits.tflite" in asked[0] and "digits.keras”" not in asked[0]
    assert (tmp_path / "digits.tflite").read_bytes() == b"its LiteRT form"  # "No": nothing written
    assert (tmp_path / "digits.keras").read_bytes() == b"my other model"
    answer_questions(QMessageBox.StandardButton.Yes)
    window.save_model_as()
    assert (tmp_path / "digits.tflite").read_bytes() == window.classifier.litert_model


def bigger_than_allowed(tmp_path):
    """The bundled model with its output layer declared 600,000 units wide (the weights unchanged)."""
    path = tmp_path / "huge.keras"
    with zipfile.ZipFile(assets_dir() / "model.keras") as source, zipfile.ZipFile(path, "w") as target:
        for member in source.namelist():
            data = source.read(member)
            if member == "config.json":
                config = json.loads(data)
                dense = next(layer for layer in config["config"]["layers"] if layer["class_name"] == "Dense")
                dense["config"]["units"] = 600_000
                data = json.dumps(config).encode()
            target.writestr(member, data)
    return path


@pytest.mark.tensorflow
def test_a_configuration_of_too_many_weights_is_refused_before_keras_builds_it(tmp_path, monkeypatch):
    """D5: a 995-byte .keras declaring a 600,000-unit Dense took 5.5 GB in Open model or evaluate."""
    import keras

    from mnist_pad.errors import ModelFileError
    from mnist_pad.model.model_io import load_keras

    built = []
    monkeypatch.setattr(keras.saving, "load_model", lambda *a, **k: built.append(a) or None)
    with pytest.raises(ModelFileError, match=f"at most {MAX_PARAMS:,}"):
        load_keras(bigger_than_allowed(tmp_path))
    assert built == []  # Keras never saw it


@pytest.mark.tensorflow
def test_open_model_converts_the_keras_and_never_trusts_a_tflite_beside_it(
    qtbot, window_factory, tmp_path, monkeypatch
):
    """D4: with any .tflite beside it, Open model kept a .keras that was not a model, or another network."""
    window = window_factory()
    before = window.model_path
    fake = tmp_path / "fake.keras"
    fake.write_bytes(b"PK not a model at all")
    shutil.copy(assets_dir() / "model.tflite", litert_path_for(fake))  # valid, and newer
    choose_open(monkeypatch, fake)
    with qtbot.waitSignal(window.errorReported, timeout=60_000) as error:
        window.open_model()
    assert "fake.keras" in error.args[1] and window.model_path == before and window.store.history() == []


@pytest.mark.tensorflow
def test_an_opened_model_gets_its_litert_form_from_its_own_keras(qtbot, window_factory, tmp_path, monkeypatch):
    window = window_factory()
    mine = tmp_path / "mine.keras"
    shutil.copy(assets_dir() / "model.keras", mine)
    litert_path_for(mine).write_bytes(b"some other network's LiteRT form")
    choose_open(monkeypatch, mine)
    window.open_model()
    qtbot.waitUntil(lambda: window.store.history() != [] and window.model_path != window.store.bundled, timeout=120_000)
    (kept,) = window.store.history()
    assert litert_path_for(kept.model).read_bytes()[4:8] == b"TFL3"  # converted, not the file beside it


def test_use_on_a_damaged_model_leaves_the_pointer_where_it_was(qtbot, window_factory):
    """D8: Use on a damaged model switched model-in-use.txt although loading failed."""
    from mnist_pad.gui.models_window import ModelsWindow

    window = window_factory()
    litert = window.classifier.litert_model
    good = window.store.accept(window.store.bundled, litert, {"name": "good"})
    damaged = window.store.accept(window.store.bundled, litert, {"name": "damaged"})
    window.store.use(good.parent.name)
    window.load_model(good)
    qtbot.waitUntil(lambda: window.model_path == good, timeout=10_000)
    litert_path_for(damaged).write_bytes(b"broken")
    models = ModelsWindow(window.store, False, window)
    qtbot.addWidget(models)
    window.show_models()
    (shown,) = [w for w in window.findChildren(ModelsWindow) if w.isVisible() and w is not models]
    shown.useRequested.emit(damaged.parent.name)
    qtbot.waitSignal(window.errorReported, timeout=10_000)
    qtbot.waitUntil(lambda: "Loading" not in window.model_label.text(), timeout=10_000)
    assert window.store.active() == good and window.model_path == good
    assert [v.name for v in window.store.history() if v.in_use] == ["good"]
    shown.useRequested.emit(good.parent.name)  # and a whole one still switches, once loaded
    qtbot.waitUntil(lambda: window.model_path == good, timeout=10_000)


@pytest.mark.tensorflow
def test_with_many_models_and_a_garbled_info_an_opened_model_is_used(qtbot, window_factory, tmp_path, monkeypatch):
    """D3: with more than 20 models kept, an opened model was accepted but never used ("Loading…")."""
    import mnist_pad.gui.main_window as main_window

    monkeypatch.setattr(main_window, "MAX_KEPT", 2)
    window = window_factory()
    litert = window.classifier.litert_model
    for i in range(3):
        kept = window.store.accept(window.store.bundled, litert, {"name": f"m{i}"})
    (kept.parent / "info.json").write_text('{"created": 1e400, "figures": {"mnist": NaN}}')
    mine = tmp_path / "mine.keras"
    shutil.copy(assets_dir() / "model.keras", mine)
    choose_open(monkeypatch, mine)
    window.open_model()
    qtbot.waitUntil(
        lambda: (
            window.model_path is not None
            and window.model_path.parent.parent == window.store.models_dir
            and window.model_path != kept
        ),
        timeout=120_000,
    )
    assert "Loading" not in window.model_label.text()
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert any("Delete the oldest" in b.text() for b in boxes)  # asked, without waiting for the answer
    for box in boxes:
        box.close()


@pytest.mark.parametrize("typed, written", [("inside", "inside.png"), ("inside.png", "inside.png")])
def test_export_png_appends_png_and_names_the_chosen_file_on_failure(tmp_path, typed, written, qtbot, monkeypatch):
    """D16: Export PNG wrote PNG data under whatever name was typed; its failure named the temp file."""
    from mnist_pad.gui.inside_view import InsideView

    view = InsideView()
    qtbot.addWidget(view)
    choose_save(monkeypatch, tmp_path / typed)
    view.export()
    assert (tmp_path / written).read_bytes()[:4] == b"\x89PNG" and not (tmp_path / "inside").exists()
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "full").write_text("")  # nothing can be written beneath a file, not even by root
    blocked = tmp_path / "mine" / "full"
    choose_save(monkeypatch, blocked / typed)
    view.export()
    status = view.status.text()
    assert f"Could not write {blocked / written}" in status and ".tmp" not in status
