"""MNIST Pad: draw a digit, watch a neural network read it.

The package is split in two: a pure core (data, preprocessing, presets,
inference, training, evaluation) that never imports Qt, and `mnist_pad.gui`,
a thin Qt layer on top of it. TensorFlow is imported only where a model is
built, trained or converted, never on the start-up or drawing path.
"""

__version__ = "0.3.0"
APP_NAME = "MNIST Pad"
