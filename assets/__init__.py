"""The bundled model, its card and the icon: installed as the package `mnist_pad.assets`.

The folder stays at the top of the repository; pyproject.toml maps it into the
package so that a wheel carries it (read it through `mnist_pad.resources`).
"""
