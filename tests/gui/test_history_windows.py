"""My models and My samples: nothing of the person's goes without a question or an undo, and Enter
never deletes."""

import numpy as np
from helpers import LEFT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QInputDialog, QMessageBox

from mnist_pad.gui.models_window import BUNDLED, ModelsWindow
from mnist_pad.gui.samples_window import SamplesWindow
from mnist_pad.ink.strokes import replay

SEVEN = [[(0.0, 0.0), (1.0, 0.0), (0.45, 1.0)]]


def keep_two_models(window):
    store = window.store
    first = store.accept(store.bundled, window.classifier.litert_model, {"name": "first", "figures": {"mnist": 0.99}})
    second = store.accept(store.bundled, window.classifier.litert_model, {"name": "second"})
    window.load_model(second)
    return first, second


def row_of(models: ModelsWindow, key: str) -> int:
    for row in range(models.table.topLevelItemCount()):
        if models.table.topLevelItem(row).data(0, Qt.ItemDataRole.UserRole) == key:
            return row
    raise AssertionError(key)


def test_my_models_switches_renames_and_deletes_only_when_asked(qtbot, window_factory, monkeypatch, answer_questions):
    window = window_factory()
    first, second = keep_two_models(window)
    qtbot.waitUntil(lambda: window.model_path == second)
    window.show_models()
    models = window.findChild(ModelsWindow)
    assert models.table.topLevelItemCount() == 3  # the bundled model, then newest first
    assert "(in use)" in models.table.topLevelItem(row_of(models, second.parent.name)).text(0)
    assert "2 models of yours" in models.summary.text()

    models.table.setCurrentItem(models.table.topLevelItem(row_of(models, BUNDLED)))
    assert not models.delete_button.isEnabled() and not models.rename_button.isEnabled()
    qtbot.mouseClick(models.use_button, LEFT)  # switching to the bundled model deletes nothing
    qtbot.waitUntil(lambda: window.store.is_bundled(window.model_path))
    assert first.is_file() and second.is_file()

    models.table.setCurrentItem(models.table.topLevelItem(row_of(models, first.parent.name)))
    qtbot.mouseClick(models.rename_button, LEFT)  # a dialog that does not block (never a nested event loop)
    assert isinstance(models.rename_dialog, QInputDialog) and models.rename_dialog.isVisible()
    models.rename_dialog.setTextValue("my pen sevens")
    models.rename_dialog.accept()
    assert [v.name for v in window.store.history()][-1] == "my pen sevens"

    models.table.setCurrentItem(models.table.topLevelItem(row_of(models, first.parent.name)))
    asked = answer_questions(QMessageBox.StandardButton.No)
    qtbot.mouseClick(models.delete_button, LEFT)
    assert len(asked) == 1 and first.is_file()  # "No": kept
    models.table.setCurrentItem(models.table.topLevelItem(row_of(models, first.parent.name)))
    answer_questions(QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(models.delete_button, LEFT)
    assert not first.exists() and second.is_file()
    models.close()


def test_opening_the_bundled_model_file_uses_it_without_a_copy(qtbot, window_factory, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    window = window_factory()
    starts = []

    def choose(parent, title, start, filters):
        starts.append(start)
        return str(window.store.bundled), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", choose)
    window.open_model()
    qtbot.waitUntil(lambda: window.model_label.text() == "Model: bundled model")
    assert window.store.history() == [] and window.store.is_bundled(window.model_path)
    assert "site-packages" not in starts[0] and "assets" not in starts[0]  # the person's documents


def test_deleting_samples_can_be_undone_and_enter_never_deletes(qtbot, window_factory):
    window = window_factory()
    store = window.samples
    for digit in (1, 2, 3):
        store.add(replay(SEVEN), digit, np.zeros((28, 28), np.float32))
    shown = SamplesWindow(store, window)
    qtbot.addWidget(shown)
    shown.show()
    shown.gallery.item(0).setSelected(True)
    assert not shown.delete_button.autoDefault() and not shown.delete_button.isDefault()
    QTest.keyClick(shown, Qt.Key.Key_Return)  # Enter: the default button is Close, never Delete
    assert len(store.load()[0]) == 3
    shown.show()
    shown.gallery.item(0).setSelected(True)
    qtbot.mouseClick(shown.delete_button, LEFT)
    assert sorted(s.label for s in store.load()[0]) == [2, 3]
    assert shown.undo_button.isVisible() and "Deleted 1 sample" in shown.undo_note.text()
    qtbot.mouseClick(shown.undo_button, LEFT)
    assert sorted(s.label for s in store.load()[0]) == [1, 2, 3] and not shown.undo_button.isVisible()


def test_past_the_limit_the_pad_asks_before_removing_the_oldest(qtbot, window_factory, monkeypatch, answer_questions):
    import mnist_pad.gui.main_window as main_window

    monkeypatch.setattr(main_window, "MAX_KEPT", 2)
    window = window_factory()
    litert = window.classifier.litert_model
    asked = answer_questions(QMessageBox.StandardButton.No)
    kept = [window._keep(window.store.bundled, litert, {"name": f"m{i}"})[0] for i in range(3)]
    window._offer_room()
    assert len(asked) == 1 and "m0" in asked[0] and all(path.is_file() for path in kept)  # "No": all stay
    answer_questions(QMessageBox.StandardButton.Yes)
    window._keep(window.store.bundled, litert, {"name": "m3"})
    window._offer_room()
    assert [v.name for v in window.store.history()] == ["m3", "m2", "m1"] and not kept[0].exists()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=200) | st.sampled_from([b'{"created": NaN}', b'{"created": 1e999}', b"[" * 50_000]))
def test_my_models_opens_for_any_info_bytes(qtbot, tmp_path_factory, raw):
    """Round three, D3: a NaN, infinite or huge number in one info.json stopped My models opening."""
    from mnist_pad.gui.models_window import ModelsWindow
    from mnist_pad.person.store import ModelStore
    from mnist_pad.resources import bundled_model

    store = ModelStore(tmp_path_factory.mktemp("d"))
    model = store.accept(bundled_model(), b"x", {"name": "mine"})
    (model.parent / "info.json").write_bytes(raw)
    window = ModelsWindow(store, False)
    qtbot.addWidget(window)
    assert window.table.topLevelItemCount() == 2
    window.close()


def test_the_status_bar_names_the_model_in_use_as_my_models_does(qtbot, window_factory):
    """Issue 34: the status bar called every model not the bundled one "your model (model.keras)"."""
    window = window_factory()
    kept = window.store.accept(window.store.bundled, window.classifier.litert_model, {"name": "my sevens"})
    window.load_model(kept)
    qtbot.waitUntil(lambda: window.model_path == kept, timeout=10_000)
    assert window.model_label.text() == "Model: your model “my sevens”"
    window.show_models()  # renamed there: the status bar follows at once
    models = window.findChild(ModelsWindow)
    models.table.setCurrentItem(models.table.topLevelItem(row_of(models, kept.parent.name)))
    qtbot.mouseClick(models.rename_button, LEFT)
    models.rename_dialog.setTextValue("digits of mine")
    models.rename_dialog.accept()
    assert window.model_label.text() == "Model: your model “digits of mine”"
    models.close()
