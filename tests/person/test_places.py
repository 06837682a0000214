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
