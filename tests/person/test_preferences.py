"""Settings files can neither run code nor stop the app, and garbled values fall back to defaults."""

import json
import os

import pytest
from helpers import make_window
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mnist_pad.ink.drawing import DEFAULT_PEN_WIDTH
from mnist_pad.person.preferences import Preferences, from_qsettings_file, open_preferences

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def write_pickle_settings(folder, marker) -> None:
    """An earlier version's QSettings file whose geometry is a pickle of os.system, as PySide6 writes
    Python objects (and unpickles them when the value is read)."""
    from PySide6.QtCore import QSettings

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    settings = QSettings(str(folder / "MNIST Pad.conf"), QSettings.Format.IniFormat)
    settings.setValue("window/geometry", Payload())
    settings.setValue("canvas/pen_width", 0.05)
    settings.setValue("retrain/data_folder", "/data/mnist")
    settings.sync()
    assert "PyObjectWrapper" in (folder / "MNIST Pad.conf").read_text(errors="replace")


def test_a_pickle_in_an_earlier_settings_file_never_runs(qtbot, tmp_path):
    marker = tmp_path / "ran"
    write_pickle_settings(tmp_path, marker)
    preferences = open_preferences(tmp_path)
    assert not marker.exists()
    assert preferences.get_float("canvas/pen_width", 0) == 0.05  # the plain values carried over
    assert preferences.get_str("retrain/data_folder") == "/data/mnist"
    assert preferences.get_bytes("window/geometry") is None
    window = make_window(qtbot, tmp_path, load=False, fixed_canvas=False)
    window.close()
    assert not marker.exists()


@pytest.mark.parametrize(
    "garbled",
    [
        b"@Variant(PySide::PyObjectWrapper\0\0\0\0\0)",
        b'{"window/geometry": "@Variant(\\u0000PySide::PyObjectWrapper)", "canvas/pen_width": "@Variant(x)"}',
        b"[" * 100_000,
        b"\xff\xfe\x00",
        b"[1, 2]",
        b'{"canvas/pen_width": {"nested": 1}, "window/geometry": [1, 2]}',
    ],
)
def test_a_garbled_settings_file_starts_the_app_with_defaults(qtbot, tmp_path, garbled):
    (tmp_path / "settings.json").write_bytes(garbled)
    window = make_window(qtbot, tmp_path, load=False, fixed_canvas=False)
    assert window.canvas.drawing.pen_width == DEFAULT_PEN_WIDTH
    window.close()
    assert json.loads((tmp_path / "settings.json").read_text())["canvas/pen_width"] == DEFAULT_PEN_WIDTH


@pytest.mark.tensorflow
@pytest.mark.parametrize("stored", [None, ["a", "b"], 3, {"x": 1}, True, "bad\0path"])
def test_path_fields_show_only_remembered_text(qtbot, tmp_path, stored):
    (tmp_path / "settings.json").write_text(json.dumps({"retrain/data_folder": stored, "retrain/pen_folder": "/pen"}))
    window = make_window(qtbot, tmp_path)
    window.retrain()
    dialog = window.retrain_dialog
    page = dialog.settings_page
    assert page.pen_folder.text() == "/pen"
    assert page.folder.text() in ("", os.environ.get("MNIST_PAD_DATA", ""))
    assert "None" not in page.folder.text() and "[" not in page.folder.text()
    dialog.close()


def test_values_round_trip_and_only_plain_ones_are_kept(tmp_path):
    path = tmp_path / "settings.json"
    first = Preferences(path)
    first.set("window/geometry", b"\x01\x02\xff")
    first.set("canvas/pen_width", 0.05)
    first.set("retrain/data_folder", "/a b/ç")
    first.set("view/look_inside", True)
    with pytest.raises(TypeError):
        first.set("x", float("nan"))
    again = Preferences(path)
    assert again.get_bytes("window/geometry") == b"\x01\x02\xff"
    assert again.get_float("canvas/pen_width", 0) == 0.05  # exactly: no float32 on the way
    assert again.get_str("retrain/data_folder") == "/a b/ç"
    assert again.get_float("canvas/pen_width", 1.0, low=0.06) == 1.0  # out of the range asked: the default
    assert again.get_bool("view/look_inside") is True
    assert again.get_bool("canvas/pen_width") is False  # not a yes or no: the default


@FUZZ
@given(content=st.binary(max_size=400) | st.text(max_size=300).map(str.encode))
def test_any_bytes_as_settings_read_as_plain_values_or_defaults(tmp_path_factory, content):
    folder = tmp_path_factory.mktemp("p")
    (folder / "settings.json").write_bytes(content)
    (folder / "MNIST Pad.conf").write_bytes(content)
    preferences = Preferences(folder / "settings.json")
    assert isinstance(preferences.get_str("a"), str)
    assert preferences.get_float("a", 1.5) == preferences.get_float("a", 1.5)  # finite or the default
    assert preferences.get_bytes("a") is None or isinstance(preferences.get_bytes("a"), bytes)
    assert isinstance(preferences.get_bool("a"), bool)
    assert all(isinstance(v, str) for v in from_qsettings_file(folder / "MNIST Pad.conf").values())


@pytest.mark.parametrize(
    "spoiled, lost",
    [
        (b'"retrain/data_folder": "/home/j\xfcrgen/mnist"', "retrain/data_folder"),  # a Latin-1 byte
        (b'"retrain/epochs": ' + b"9" * 5000, "retrain/epochs"),  # Python refuses past 4,300 digits
        (b'"view/deep": ' + b"[" * 100_000 + b"]" * 100_000, "view/deep"),  # nested too deep to parse
    ],
)
def test_one_unreadable_value_costs_only_itself_and_the_file_is_kept_aside(tmp_path, spoiled, lost):
    """Round three, D12: one such value made the whole file read as empty, and the next save
    overwrote every remembered setting."""
    path = tmp_path / "settings.json"
    original = b'{\n "canvas/pen_width": 0.05,\n ' + spoiled + b',\n "window/geometry": "AAAA"\n}\n'
    path.write_bytes(original)
    preferences = Preferences(path)
    assert preferences.get_float("canvas/pen_width", 0) == 0.05 and preferences.get_str("window/geometry") == "AAAA"
    assert preferences.get_str(lost) == "" and preferences.get_float(lost, -1) == -1
    assert preferences.set("view/look_inside", True)
    assert preferences.kept_aside is not None and preferences.kept_aside.read_bytes() == original
    again = Preferences(path)
    assert again.get_float("canvas/pen_width", 0) == 0.05 and again.get_bool("view/look_inside")
    assert again.set("canvas/pen_width", 0.04) and again.kept_aside is None  # a readable file: nothing kept aside


def test_a_readable_file_is_never_kept_aside(tmp_path):
    path = tmp_path / "settings.json"
    Preferences(path).set("canvas/pen_width", 0.05)
    preferences = Preferences(path)
    assert preferences.set("canvas/pen_width", 0.06) and preferences.kept_aside is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.json"]


def test_settings_that_are_a_folder_say_cannot_save(qtbot, tmp_path):
    """D17: with settings.json a folder, nothing was remembered and no notice said so."""
    (tmp_path / "settings.json").mkdir()
    window = make_window(qtbot, tmp_path, load=False, fixed_canvas=False)
    notice = window.check_places()
    assert notice is not None and "settings" in notice and "settings.json is a folder" in notice
    assert window.unsaved_label.isVisible()
    assert window.unsaved_label.text().startswith("Cannot save")
    assert (tmp_path / "settings.json").is_dir()  # nothing of the person's removed
