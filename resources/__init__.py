"""Bundled assets (sample corpus, icons), shipped as the package `newsreader.resources`.

Read them with ``importlib.resources.files("newsreader.resources")`` so that they are found in a
source checkout, an installed wheel and a frozen bundle alike.
"""
