"""Exceptions whose messages are meant for the person, not for a traceback.

Every message says which file, what is wrong, and what to do about it.
"""


class MnistPadError(Exception):
    """Base of all errors MNIST Pad reports to the person."""


class DataError(MnistPadError):
    """MNIST (or a stroke file) could not be read or downloaded."""


class ModelFileError(MnistPadError):
    """A model file is missing, unreadable or not a digit classifier."""


class TrainingCancelled(MnistPadError):
    """The person cancelled training; nothing was saved."""
