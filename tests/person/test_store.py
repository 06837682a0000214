"""The model store never removes anything outside models/<version>/, whatever the pointer says."""

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mnist_pad.files import locking
from mnist_pad.model.model_io import litert_path_for
from mnist_pad.person.store import ModelStore
from mnist_pad.resources import bundled_model


def person_with_a_model(tmp_path):
    """A data folder holding samples, and a store with the person's model in use."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "samples.jsonl").write_text('{"label": 1}\n')
    store = ModelStore(data)
    return store, store.accept(bundled_model(), b"mine")


@pytest.mark.parametrize("pointer", ["..", "../..", "..\n", ".", "/", "./", "models", "../data", "", "\0", "x/.."])
@pytest.mark.parametrize("then", ["accept", "revert"])
def test_a_hostile_pointer_removes_nothing_outside_a_version_folder(tmp_path, pointer, then):
    store, _ = person_with_a_model(tmp_path)
    store.pointer.write_text(pointer)
    assert store.active() == store.bundled  # a pointer naming no version counts as none
    new = store.accept(bundled_model(), b"new") if then == "accept" else None
    if then == "revert":
        store.use_bundled()
    assert (store.data_dir / "samples.jsonl").read_text() == '{"label": 1}\n'
    if new is not None:
        assert new.is_file() and litert_path_for(new).read_bytes() == b"new"
        assert store.active() == new  # what was just accepted survives (and the next launch uses it)


def test_a_pointer_of_dot_does_not_delete_the_model_just_accepted(tmp_path):
    store, _ = person_with_a_model(tmp_path)
    for pointer in (".", "/"):
        store.pointer.write_text(pointer)
        accepted = store.accept(bundled_model(), b"new")
        assert ModelStore(store.data_dir).active() == accepted and accepted.is_file()


def test_a_linked_version_folder_is_unlinked_not_followed(tmp_path):
    store, _ = person_with_a_model(tmp_path)
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "keep.txt").write_text("mine")
    os.symlink(precious, store.models_dir / "20200101-link")
    store.pointer.write_text("20200101-link")
    assert store.active() == store.bundled  # a link is not a version
    store.accept(bundled_model(), b"new")
    assert (precious / "keep.txt").read_text() == "mine"


def test_orphaned_versions_are_tidied_and_the_one_in_use_kept(tmp_path):
    store, model = person_with_a_model(tmp_path)
    for name in ("20260101-000000-1-1", "20260101-000000-2-2"):  # two windows accepted at once
        (store.models_dir / name).mkdir()
        (store.models_dir / name / "model.keras").write_bytes(b"orphan")
    (store.models_dir / ".incoming").mkdir()  # not a version name: never touched
    assert store.tidy() == 2
    assert sorted(p.name for p in store.models_dir.iterdir()) == sorted([model.parent.name, ".incoming", ".lock"])
    assert store.active() == model


def test_tidying_waits_for_nobody(tmp_path):
    store, _ = person_with_a_model(tmp_path)
    (store.models_dir / "20260101-orphan").mkdir()
    with locking.locked(store.models_dir / ".lock"):  # another window is accepting: leave it alone
        import subprocess
        import sys

        code = f"from mnist_pad.person.store import ModelStore; print(ModelStore({str(store.data_dir)!r}).tidy())"
        assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "0"
    assert (store.models_dir / "20260101-orphan").is_dir()


def test_two_stores_accepting_in_turn_keep_every_model_whole(tmp_path):
    data = tmp_path / "data"
    first, second = ModelStore(data), ModelStore(data)
    for i in range(4):
        (first if i % 2 else second).accept(bundled_model(), str(i).encode(), {"name": f"model {i}"})
    assert [v.name for v in first.history()] == ["model 3", "model 2", "model 1", "model 0"]
    assert litert_path_for(first.active()).read_bytes() == b"3" and first.history()[0].in_use
    assert first.tidy() == 0  # nothing half-written: nothing to tidy


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=300) | st.sampled_from([b"..", b"../..", b".", b"/", b"models/..", b"..\\..", b" .. "]))
def test_any_pointer_bytes_leave_the_data_folder_whole(tmp_path_factory, raw):
    store, model = person_with_a_model(tmp_path_factory.mktemp("p"))
    store.pointer.write_bytes(raw)
    assert store.active() in (store.bundled, model)
    store.tidy()
    store.accept(bundled_model(), b"new")
    assert (store.data_dir / "samples.jsonl").read_text() == '{"label": 1}\n'
    store.use_bundled()
    assert (store.data_dir / "samples.jsonl").read_text() == '{"label": 1}\n'
    assert store.active() == store.bundled


def test_the_history_keeps_every_model_until_the_person_deletes_it(tmp_path):
    store, first = person_with_a_model(tmp_path)
    info = {"name": "retrained", "origin": "preset quick", "figures": {"mnist": 0.99}}
    second = store.accept(bundled_model(), b"second", info)
    store.use_bundled()  # going back deletes nothing
    assert store.active() == store.bundled and first.is_file() and second.is_file()
    (newest, oldest) = store.history()
    assert newest.name == "retrained" and newest.figures == {"mnist": 0.99} and not newest.in_use
    assert store.use(oldest.folder.name) == first and store.active() == first
    store.rename(newest.folder.name, "  my   sevens ")
    assert store.history()[0].name == "my sevens"
    with pytest.raises(ValueError, match="in use"):
        store.delete(oldest.folder.name)
    store.delete(newest.folder.name)
    assert not second.exists() and [v.folder for v in store.history()] == [first.parent]
    assert (store.data_dir / "samples.jsonl").read_text() == '{"label": 1}\n'


@pytest.mark.parametrize("version", ["..", ".", "/", "../data", "", ".bundled"])
def test_use_rename_and_delete_refuse_what_is_no_version(tmp_path, version):
    store, model = person_with_a_model(tmp_path)
    for action in (store.use, lambda v: store.rename(v, "x"), store.delete):
        with pytest.raises(ValueError):
            action(version)
    assert store.active() == model and (store.data_dir / "samples.jsonl").exists()


def test_a_garbled_info_file_still_lists_the_model(tmp_path):
    store, model = person_with_a_model(tmp_path)
    (model.parent / "info.json").write_bytes(b"[" * 100_000)
    (version,) = store.history()
    assert version.name == model.parent.name and version.figures == {} and version.in_use
