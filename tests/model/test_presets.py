import pytest

from mnist_pad.model.model_io import layer_summary
from mnist_pad.model.presets import PRESETS, get_preset

pytestmark = pytest.mark.tensorflow  # trains, converts or loads Keras models


def test_seed_matches_the_write_up():
    model = get_preset("seed").build()
    shapes = [
        tuple(layer.output.shape)
        for layer in model.layers
        if type(layer).__name__ != "Dropout"  # the write-up prints no line for it
    ]
    assert shapes == [
        (None, 25, 25, 32),
        (None, 12, 12, 32),
        (None, 10, 10, 32),
        (None, 5, 5, 32),
        (None, 800),
        (None, 10),
    ]
    params = [layer.count_params() for layer in model.layers if layer.count_params()]
    assert params == [544, 9248, 8010]
    assert model.loss == "mean_squared_error"
    assert type(model.optimizer).__name__ == "SGD"
    assert float(model.optimizer.learning_rate) == pytest.approx(0.01)
    assert get_preset("seed").batch_size == 32


def test_summary_prints_the_write_ups_shapes():
    text = "\n".join(layer_summary(get_preset("seed").build()))
    for shape in [
        "(None, 25, 25, 32)",
        "(None, 12, 12, 32)",
        "(None, 10, 10, 32)",
        "(None, 5, 5, 32)",
        "(None, 800)",
        "(None, 10)",
    ]:
        assert shape in text
    assert "Layer 1: (None, 25, 25, 32)" in text


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_presets_build_within_their_budget(name):
    preset = get_preset(name)
    model = preset.build(total_steps=100)
    assert model.count_params() <= preset.max_params
    assert tuple(model.outputs[0].shape) == (None, preset.num_classes)  # 11 with "not a digit"


def test_unknown_preset():
    with pytest.raises(ValueError, match="choose one of"):
        get_preset("huge")
