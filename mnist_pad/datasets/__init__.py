"""The data a model learns from and is measured on: MNIST, UCI pendigits, pen strokes
rendered as the canvas renders them, and a sample's 28x28 image. No Qt, no TensorFlow at import."""
