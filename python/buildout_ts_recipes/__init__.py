"""buildout-ts' host for zc.buildout recipes and extensions from PyPI.

buildout-ts (TypeScript) starts this package once per run, and only when a Python
recipe or extension has to run, with the interpreter of the recipe environment
(`.buildout/recipes`, where the recipes, the real zc.buildout and setuptools < 82
are installed). It speaks JSON lines with buildout-ts over file descriptors 3
(requests in) and 4 (messages out); see rpc.py and host.py.
"""
