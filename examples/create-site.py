# Creates the Plone site `Plone` (classic UI, with Plone's example content)
# unless it exists:  bin/instance run create-site.py [SITE-ID]
# `app` (Zope's root object) is provided by `bin/instance run`.
import sys

import transaction
from Products.CMFPlone.factory import addPloneSite

site_id = sys.argv[1] if len(sys.argv) > 1 else "Plone"
if site_id in app.objectIds():  # noqa: F821
    print("Plone site %r exists" % site_id)
else:
    addPloneSite(app, site_id, title="buildout-ts example site",  # noqa: F821
                 extension_ids=["plone.app.contenttypes:plone-content"])
    transaction.commit()
    print("Created the Plone site %r" % site_id)
