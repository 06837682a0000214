#!/usr/bin/env python3
"""Draw assets/icon.png: a handwritten-looking 7 on a sheet, with a bar chart strip."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 256


def main() -> None:
    scale = 4  # draw big, reduce: anti-aliased edges
    s = SIZE * scale
    image = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle(
        (8 * scale, 8 * scale, s - 8 * scale, s - 8 * scale), radius=48 * scale, fill=(42, 130, 218, 255)
    )
    draw.rounded_rectangle(
        (40 * scale, 36 * scale, 188 * scale, s - 40 * scale), radius=18 * scale, fill=(253, 253, 251, 255)
    )
    ink, width = (29, 29, 31, 255), 22 * scale
    seven = [(70, 80), (158, 78), (104, 190)]
    points = [(x * scale, y * scale) for x, y in seven]
    draw.line(points, fill=ink, width=width, joint="curve")
    for x, y in (points[0], points[-1]):
        draw.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=ink)
    for i, height in enumerate((30, 150, 20)):  # probability bars: one tall, two short
        left = (200 + i * 14) * scale
        draw.rounded_rectangle(
            (left, (210 - height * 0.9) * scale, left + 9 * scale, 210 * scale),
            radius=3 * scale,
            fill=(255, 255, 255, 230 if i == 1 else 140),
        )
    out = Path(__file__).resolve().parent.parent / "assets" / "icon.png"
    image.resize((SIZE, SIZE), Image.LANCZOS).save(out)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
