"""`python -m mnist_pad.evaluate`: the evaluator's command line at the name the docs and
scripts use; the code is mnist_pad.model.evaluate."""

import sys

from mnist_pad.model.evaluate import main

if __name__ == "__main__":
    sys.exit(main())
