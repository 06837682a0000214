#!/usr/bin/env python3
"""What saving a correction costs the GUI thread: the append and fsync itself, against handing it to the writer.

    python bench/save.py [--count 200] [--folder DIR]

Saves pen-written digits as samples, first on the calling thread
(`SampleStore.add`, what the click used to wait for), then through
`gui.sample_writer.SampleWriter.add` (what the click waits for now), and
times each call. `--folder` puts the samples file on the disk to measure
(default: a temp folder).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import row, sample_drawings, stats_ms
from PySide6.QtCore import QCoreApplication

from mnist_pad.gui.sample_writer import SampleWriter
from mnist_pad.ink.render import network_input
from mnist_pad.person.samples import SampleStore


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    app = QCoreApplication.instance() or QCoreApplication([])
    drawings = sample_drawings(args.count)
    images = [network_input(d) for d in drawings]
    samples = list(zip(drawings, images, strict=True))

    def time_each(add) -> list[float]:
        """Seconds each call of `add` keeps the caller; a pause between saves, as a person clicks far less often."""
        seconds = []
        for drawing, image in samples:
            started = time.perf_counter()
            add(drawing, 7, image)
            seconds.append(time.perf_counter() - started)
            time.sleep(0.01)
        return seconds

    with tempfile.TemporaryDirectory(dir=args.folder) as folder:
        store = SampleStore(folder)
        on_thread = time_each(store.add)
        writer = SampleWriter(store)
        handed_over = time_each(writer.add)
        writer.wait()
        app.processEvents()
        saved = len(store.load()[0])
    print(f"{args.count} corrections saved twice on {folder}'s disk; {saved} lines in the file")
    print(row("save on the GUI thread (append + fsync)", on_thread))
    print(row("GUI thread with the background writer", handed_over, stats_ms(on_thread)))
    return 0 if saved == 2 * args.count else 1


if __name__ == "__main__":
    sys.exit(main())
