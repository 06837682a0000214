"""MNIST Pad: draw a digit, watch a neural network read it.

Its folders are its layers, each importing only those below it (docs/design.md):
files (atomic writes, locks), ink (strokes to pixels to answers), datasets,
model (presets, LiteRT inference, training, evaluation), person (the model in
use, samples, settings): a core that never imports Qt; then gui, a thin Qt
layer, and app, which starts it all. TensorFlow is imported only where a
model is built, trained or converted, never on the start-up or drawing path.
"""

__version__ = "0.6.0"
APP_NAME = "MNIST Pad"
