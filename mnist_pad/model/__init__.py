"""The network: presets, model files, LiteRT inference, training, calibration, fine-tuning
and evaluation. TensorFlow is imported only inside the functions that build, train or convert."""
