"""What belongs to the person: the model in use and its versions, their samples, their
settings, and whether the places they live in can be written."""
