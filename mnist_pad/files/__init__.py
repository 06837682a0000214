"""Writing files safely: atomic replacement and lock files with a time limit. No project imports."""
