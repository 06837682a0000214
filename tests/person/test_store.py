"""The model store never removes anything outside models/<version>/, whatever the pointer says."""

import errno
import json
import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mnist_pad.files import locking
from mnist_pad.model.model_io import litert_path_for
from mnist_pad.person.store import TIDY_GRACE_S, ModelStore
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
    assert store.tidy() == 0  # just now: another window may still be writing them
    assert store.tidy(now=time.time() + TIDY_GRACE_S + 1) == 2
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


def later() -> float:
    """A time at which what a test just made is past the tidy's grace."""
    return time.time() + TIDY_GRACE_S + 60


def six_models(tmp_path):
    store, _ = person_with_a_model(tmp_path)
    for i in range(5):
        store.accept(bundled_model(), str(i).encode(), {"name": f"model {i}"})
    return store


@pytest.mark.parametrize("error", [errno.EACCES, errno.ESTALE, errno.EIO, errno.ENAMETOOLONG])
def test_one_entry_that_cannot_be_looked_at_never_costs_the_others(tmp_path, monkeypatch, error):
    """Round three, D1: the first unreadable entry ended the listing, and the start-up tidy then
    removed every model it had not listed (5 of 6)."""
    store = six_models(tmp_path)
    before = {v.folder.name for v in store.history()}
    blocked = store.models_dir / "20200101-000000-1-1"  # looks like ours, and cannot be looked at
    blocked.mkdir()
    original_scandir = os.scandir

    class Entry:
        def __init__(self, entry):
            self._entry, self.name, self.path = entry, entry.name, entry.path

        def stat(self, follow_symlinks=True):
            if self.name == blocked.name:
                raise OSError(error, os.strerror(error), self.path)
            return self._entry.stat(follow_symlinks=follow_symlinks)

    def scandir(path="."):
        entries = list(original_scandir(path))
        return iter([Entry(e) for e in entries] if Path(path) == store.models_dir else entries)

    monkeypatch.setattr(os, "scandir", scandir)
    assert {v.folder.name for v in store.history()} == before  # every readable model is listed
    assert store.tidy(now=later()) == 0  # the listing was not complete: nothing at all is removed
    assert blocked.is_dir() and all((store.models_dir / name / "model.keras").is_file() for name in before)


def test_as_another_user_an_unreadable_folder_removes_nothing(tmp_path):
    """D1 as it happened: a root-owned folder (sudo cp -r) in models/, the pad run as nobody."""
    import subprocess
    import sys

    if os.geteuid() != 0:
        pytest.skip("needs root to run the pad as another user")
    store = six_models(tmp_path)
    before = sorted(p.name for p in store.models_dir.iterdir())
    locked_out = store.models_dir / "20200101-000000-9-9"
    locked_out.mkdir(mode=0o700)  # root's, unreadable to nobody
    for path in [tmp_path, *tmp_path.rglob("*")]:
        if path != locked_out and not path.is_relative_to(locked_out):
            os.chown(path, 65534, 65534, follow_symlinks=False)
    code = (
        "import time; from mnist_pad.person.store import ModelStore, TIDY_GRACE_S;"
        f"s = ModelStore({str(store.data_dir)!r}); print(len(s.history()), s.tidy(now=time.time() + TIDY_GRACE_S + 1))"
    )
    env = {**os.environ, "HOME": str(tmp_path)}
    try:
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, user=65534, group=65534, env=env, cwd=tmp_path
        )
    except PermissionError:
        pytest.skip("this Python cannot be run by user nobody (it lives in a private folder)")
    if "ModuleNotFoundError" in out.stderr or "Permission denied" in out.stderr:
        pytest.skip("the project cannot be imported by user nobody here")
    assert out.stdout.split() == ["6", "0"], out.stderr
    assert sorted(p.name for p in store.models_dir.iterdir()) == sorted([*before, locked_out.name])


def test_tidy_never_removes_a_folder_of_the_persons_own(tmp_path):
    store, model = person_with_a_model(tmp_path)
    archive = store.models_dir / "archive"
    archive.mkdir()
    (archive / "old.keras").write_bytes(b"mine")
    (store.models_dir / "20260101-000000-1-1").mkdir()  # ours, crashed, old: the only one that goes
    assert store.tidy(now=later()) == 1
    assert (archive / "old.keras").read_bytes() == b"mine" and store.active() == model


def test_tidy_removes_stale_temporary_files_of_ours_only(tmp_path):
    """D15: kill -9 inside an atomic write left hidden temp files that no start removed."""
    store, model = person_with_a_model(tmp_path)
    ours = [
        store.data_dir / ".samples.ab12cd_3.tmp.jsonl",
        store.data_dir / ".model-in-use.x1y2z3w4.tmp.txt",
        model.parent / ".model.abcdefgh.tmp.keras",
    ]
    theirs = [store.data_dir / ".samples.jsonl.swp", store.data_dir / "notes.tmp", store.data_dir / ".hidden"]
    for path in ours + theirs:
        path.write_bytes(b"x")
    store.tidy()
    assert all(path.exists() for path in ours + theirs)  # young: perhaps being written by another window
    store.tidy(now=later())
    assert not any(path.exists() for path in ours) and all(path.exists() for path in theirs)
    assert store.active() == model


@pytest.mark.parametrize(
    "info",
    [
        b'{"created": NaN, "figures": {"mnist": Infinity}}',
        b'{"created": 1e400, "figures": {"mnist": -1e400, "pen_digits": NaN}}',
        b'{"created": ' + b"9" * 5000 + b', "figures": {"mnist": 12345}}',
        b'{"created": true, "figures": [1, 2], "name": {"a": 1}}',
    ],
)
def test_only_finite_plausible_numbers_are_taken_from_info(tmp_path, info):
    """D3: a NaN, infinite or huge number in one version's info.json stopped My models opening."""
    store, model = person_with_a_model(tmp_path)
    (model.parent / "info.json").write_bytes(info)
    (version,) = store.history()
    assert all(0 <= v <= 1 for v in version.figures.values())
    assert version.created == pytest.approx(model.stat().st_mtime)
    time.strftime("%Y-%m-%d %H:%M", time.localtime(version.created))  # what My models shows


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    record=st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
        lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
        max_leaves=20,
    )
)
def test_any_info_record_gives_a_row(tmp_path_factory, record):
    store, model = person_with_a_model(tmp_path_factory.mktemp("i"))
    for wrapped in (record, {"created": record, "figures": record, "name": record, "origin": record}):
        (model.parent / "info.json").write_text(json.dumps(wrapped))
        (version,) = store.history()
        time.strftime("%Y-%m-%d", time.localtime(version.created))
        assert all(0 <= v <= 1 for v in version.figures.values())


def test_a_pipe_as_info_or_pointer_never_blocks(tmp_path):
    """D10: a FIFO as a version's info.json froze My models for good, and the tidy held the lock."""
    store, model = person_with_a_model(tmp_path)
    (model.parent / "info.json").unlink()
    os.mkfifo(model.parent / "info.json")
    (version,) = store.history()
    assert version.name == model.parent.name
    assert store.tidy(now=later()) == 0
    store.accept(bundled_model(), b"after")  # the lock is free again
    store.pointer.unlink()
    os.mkfifo(store.pointer)
    assert store.active() == store.bundled


def test_the_start_loads_exactly_the_version_the_pointer_names(tmp_path):
    """D9: a .keras newer than its .tflite, names with spaces, a hidden models/.none."""
    store, model = person_with_a_model(tmp_path)
    os.utime(litert_path_for(model), (1, 1))  # a cp -r copy: the .keras is newer
    assert store.active() == model and store.history()[0].in_use
    spaced = store.models_dir / (" " + model.parent.name)
    spaced.mkdir()
    (spaced / "model.keras").write_bytes(b"x")
    (spaced / "model.tflite").write_bytes(b"x")
    store.pointer.write_text(spaced.name + "\n")
    assert store.active() == spaced / "model.keras"
    assert [v.folder.name for v in store.history() if v.in_use] == [spaced.name]
    hidden = store.models_dir / ".none"
    hidden.mkdir()
    (hidden / "model.keras").write_bytes(b"x")
    (hidden / "model.tflite").write_bytes(b"x")
    store.pointer.write_text("garbled/../\n")
    assert store.active() == store.bundled and not any(v.in_use for v in store.history())
