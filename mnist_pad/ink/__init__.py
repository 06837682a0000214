"""From the pen to an answer: strokes, their pixels, MNIST-style preprocessing, grouping into
digits and the decision rule. Pure Python and NumPy/Pillow: no Qt, no TensorFlow."""
