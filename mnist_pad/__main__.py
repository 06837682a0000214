import sys

from mnist_pad.app.launch import main

sys.exit(main())
