"""Whether a folder can be saved to, and the one sentence that says where not."""

from mnist_pad.person.places import cannot_save, unsaved_notice


def test_a_writable_folder_is_created_and_left_clean(tmp_path):
    folder = tmp_path / "new" / "deeper"
    assert cannot_save(folder) is None
    assert folder.is_dir() and list(folder.iterdir()) == []


def test_a_folder_beneath_a_file_cannot_be_saved_to(tmp_path):
    (tmp_path / "file").write_text("")
    assert cannot_save(tmp_path / "file" / "sub") == "Not a directory"


def test_the_notice_names_only_the_places_that_fail(tmp_path):
    (tmp_path / "file").write_text("")
    notice = unsaved_notice({"settings": tmp_path / "ok", "samples": tmp_path / "file" / "x"})
    assert notice.startswith(f"Cannot save samples in {tmp_path / 'file' / 'x'} (not a directory).")
    assert "settings" not in notice
    assert unsaved_notice({"settings": tmp_path / "ok"}) is None


def test_an_earlier_versions_nested_data_folder_moves_up_and_nothing_is_lost(tmp_path):
    from mnist_pad.person.places import move_up_nested

    folder = tmp_path / "MNIST Pad"
    nested = folder / "MNIST Pad"
    (nested / "models" / "v1").mkdir(parents=True)
    (nested / "samples.jsonl").write_text("mine\n")
    (nested / "model-in-use.txt").write_text("v1\n")
    assert move_up_nested(folder) == []
    assert (folder / "samples.jsonl").read_text() == "mine\n" and (folder / "models" / "v1").is_dir()
    assert not nested.exists()
    # A name already taken up there stays where it is, and is reported.
    (nested).mkdir()
    (nested / "samples.jsonl").write_text("older\n")
    left = move_up_nested(folder)
    assert len(left) == 1 and (nested / "samples.jsonl").read_text() == "older\n"
    assert (folder / "samples.jsonl").read_text() == "mine\n"


def test_the_app_keeps_its_data_in_one_folder_named_once(qtbot, monkeypatch):
    from PySide6.QtCore import QStandardPaths

    from mnist_pad.app.launch import create_window

    QStandardPaths.setTestModeEnabled(True)  # ~/.qttest: never the person's own folders
    try:
        _, window = create_window(["mnist-pad"])
        qtbot.addWidget(window)
        data_dir = window.store.data_dir
        assert data_dir.name == "MNIST Pad" and data_dir.parent.name != "MNIST Pad"
        window.close()
    finally:
        QStandardPaths.setTestModeEnabled(False)
