#!/usr/bin/env python3
"""Draw the icon: a handwritten-looking 7 on a sheet, with a bar chart strip, at every size
desktops ask for (assets/icons/NxN.png) and assets/icon.png (256 px), each drawn at four times
its size and reduced, so small ones are sharp rather than a shrunk 256 px picture."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 256
#: The hicolor theme's sizes, and macOS's and Windows' largest.
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ASSETS = Path(__file__).resolve().parent.parent / "assets"


def draw(size: int) -> Image.Image:
    """The icon at `size` pixels square; the design's coordinates are for 256 px."""
    scale = size * 4 / SIZE  # draw big, reduce: anti-aliased edges
    s = round(SIZE * scale)
    image = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    paint = ImageDraw.Draw(image)
    paint.rounded_rectangle(
        (8 * scale, 8 * scale, s - 8 * scale, s - 8 * scale), radius=48 * scale, fill=(42, 130, 218, 255)
    )
    paint.rounded_rectangle(
        (40 * scale, 36 * scale, 188 * scale, s - 40 * scale), radius=18 * scale, fill=(253, 253, 251, 255)
    )
    ink, width = (29, 29, 31, 255), max(1, round(22 * scale))
    seven = [(70, 80), (158, 78), (104, 190)]
    points = [(x * scale, y * scale) for x, y in seven]
    paint.line(points, fill=ink, width=width, joint="curve")
    for x, y in (points[0], points[-1]):
        paint.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=ink)
    for i, height in enumerate((30, 150, 20)):  # probability bars: one tall, two short
        left = (200 + i * 14) * scale
        paint.rounded_rectangle(
            (left, (210 - height * 0.9) * scale, left + 9 * scale, 210 * scale),
            radius=3 * scale,
            fill=(255, 255, 255, 230 if i == 1 else 140),
        )
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    (ASSETS / "icons").mkdir(exist_ok=True)
    for size in SIZES:
        draw(size).save(ASSETS / "icons" / f"{size}x{size}.png", optimize=True)
    draw(SIZE).save(ASSETS / "icon.png")
    print(f"wrote {ASSETS / 'icon.png'} and {len(SIZES)} sizes in {ASSETS / 'icons'}")


if __name__ == "__main__":
    main()
