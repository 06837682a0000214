"""Colours every text can be read in: at least WCAG AA's 4.5:1 against what lies behind it,
in a light palette and a dark one.

Qt's own "disabled" and "placeholder" greys are not that (#BEBEBE on #EFEFEF
is 1.6:1), so secondary text gets a colour of its own, and an accent colour
used for text is darkened or lightened until it reads.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QEvent
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget

#: WCAG 2.1 AA for normal text.
MIN_CONTRAST = 4.5
#: What small quiet text (hints, captions, descriptions) is given: anti-aliased glyphs of a thin
#: font at 9 pt never reach their full colour, so a colour of 4.5:1 measured 3.9:1 on screen;
#: at 7.5:1 the rendered text measures 4.5:1 or more (tests/gui/test_window_text.py, on pixels).
SMALL_TEXT_CONTRAST = 7.5
#: The canvas's paper: light whatever the palette.
PAPER = QColor("#fdfdfb")
#: Unsure answers: amber, as the canvas's boxes.
AMBER = QColor("#c77800")


def luminance(colour: QColor) -> float:
    """Relative luminance (WCAG 2.1)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """The contrast ratio of two colours, 1 to 21."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable(colour: QColor, background: QColor, minimum: float = MIN_CONTRAST) -> QColor:
    """`colour`, darkened (on a light background) or lightened (on a dark one) just enough to
    reach `minimum` contrast; its hue stays. Remembered per pair: painting asks after every stroke."""
    return QColor.fromRgba(_readable(colour.rgba(), background.rgba(), minimum))


@functools.lru_cache(maxsize=64)
def _readable(colour_rgba: int, background_rgba: int, minimum: float) -> int:
    result, background = QColor.fromRgba(colour_rgba), QColor.fromRgba(background_rgba)
    darken = luminance(background) > 0.18
    hue, saturation, lightness, alpha = (float(v) for v in result.getHslF())  # type: ignore[attr-defined]
    while contrast(result, background) < minimum and 0.0 < lightness < 1.0:
        lightness = max(0.0, lightness - 0.02) if darken else min(1.0, lightness + 0.02)
        result.setHslF(max(hue, 0.0), saturation, lightness, alpha)
    return result.rgba()


def blend(a: QColor, b: QColor, share_of_a: float) -> QColor:
    s = share_of_a
    return QColor.fromRgbF(
        a.redF() * s + b.redF() * (1 - s), a.greenF() * s + b.greenF() * (1 - s), a.blueF() * s + b.blueF() * (1 - s)
    )


def secondary_text(palette: QPalette) -> QColor:
    """Quieter than the text, still readable on the window: for hints and captions."""
    window = palette.window().color()
    return readable(blend(palette.windowText().color(), window, 0.6), window, SMALL_TEXT_CONTRAST)


def accent_text(palette: QPalette) -> QColor:
    """The palette's highlight, as a text colour on the window."""
    return readable(palette.highlight().color(), palette.window().color())


def unsure_text(palette: QPalette) -> QColor:
    """Amber text for an unsure answer, readable on the window."""
    return readable(AMBER, palette.window().color())


class SecondaryLabel(QLabel):
    """A hint or a caption: quieter than the text, never below 4.5:1, in any palette."""

    def __init__(self, text: str = "", parent: QWidget | None = None, **kwargs) -> None:
        super().__init__(text, parent, **kwargs)
        self._recolouring = False
        self._recolour()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ParentChange) and not self._recolouring:
            self._recolour()
        super().changeEvent(event)

    def _recolour(self) -> None:
        """From the palette around the label (its parent's, else the application's), never from its own
        already quietened one."""
        parent = self.parentWidget()
        around = parent.palette() if parent is not None else QApplication.palette()
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.WindowText, secondary_text(around))
        link = readable(around.link().color(), around.window().color(), SMALL_TEXT_CONTRAST)
        palette.setColor(QPalette.ColorRole.Link, link)  # a link in a hint is as small as the hint
        self._recolouring = True
        try:
            self.setPalette(palette)
        finally:
            self._recolouring = False
