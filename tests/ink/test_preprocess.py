import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mnist_pad.ink.drawing import Drawing
from mnist_pad.ink.preprocess import BOX, CENTRE, centre_of_mass, to_mnist
from mnist_pad.ink.render import network_input


def ink_extent(image):
    rows = np.flatnonzero(image.any(axis=1))
    cols = np.flatnonzero(image.any(axis=0))
    return rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


def drawing_of(*strokes, pen=0.05):
    return Drawing([list(s) for s in strokes], pen_width=pen)


SEVEN = drawing_of([(0.2, 0.2), (0.75, 0.2), (0.45, 0.85)])
L_SHAPE = drawing_of([(0.3, 0.1), (0.3, 0.9), (0.7, 0.9)])


def test_centre_of_mass_lands_at_the_centre():
    for drawing in (SEVEN, L_SHAPE, drawing_of([(0.1, 0.1), (0.9, 0.3)])):
        image = network_input(drawing)
        row, col = centre_of_mass(image)
        assert abs(row - CENTRE) <= 0.5 and abs(col - CENTRE) <= 0.5


def test_longer_side_is_twenty_pixels_and_aspect_is_kept():
    canvas = np.zeros((300, 300), np.uint8)
    canvas[50:250, 100:200] = 255  # a 2:1 block: 200 tall, 100 wide
    height, width = ink_extent(to_mnist(canvas))
    assert height == BOX
    assert width == BOX // 2
    tall = network_input(L_SHAPE)
    assert max(ink_extent(tall)) == BOX


def test_values_are_float32_in_unit_range():
    image = network_input(SEVEN)
    assert image.shape == (28, 28) and image.dtype == np.float32
    assert image.min() >= 0 and image.max() <= 1 and image.max() > 0.9


def test_empty_canvas_and_single_dot_give_nothing():
    assert to_mnist(np.zeros((200, 200), np.uint8)) is None
    assert network_input(Drawing()) is None
    assert network_input(drawing_of([(0.5, 0.5)])) is None
    speck = np.zeros((400, 400), np.uint8)
    speck[200:203, 200:203] = 255
    assert to_mnist(speck) is None


def test_float_images_are_accepted():
    canvas = np.zeros((100, 100), np.float32)
    canvas[20:80, 45:55] = 1.0
    assert to_mnist(canvas) is not None


points = st.tuples(st.floats(-0.2, 1.2), st.floats(-0.2, 1.2))


@settings(max_examples=150, deadline=None)
@given(
    strokes=st.lists(st.lists(points, min_size=1, max_size=12), min_size=0, max_size=5),
    pen=st.floats(0.01, 0.15),
)
def test_random_strokes_never_raise(strokes, pen):
    image = network_input(Drawing(strokes, pen_width=pen))
    if image is not None:
        assert image.shape == (28, 28)
        assert np.isfinite(image).all() and image.min() >= 0 and image.max() <= 1
