"""Start-up (the window first, the model in the background) and the self-test: where the
layers below and the gui meet."""
