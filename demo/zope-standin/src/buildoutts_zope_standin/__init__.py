"""buildout-ts Zope STAND-IN (not Zope). See README.md: only for machines
where the real Zope cannot be installed."""
