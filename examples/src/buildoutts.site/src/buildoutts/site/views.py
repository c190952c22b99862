import json
from importlib.metadata import version

from Products.Five.browser import BrowserView


class InfoView(BrowserView):
    def __call__(self):
        self.request.response.setHeader("Content-Type", "application/json")
        return json.dumps({"addon": "buildoutts.site", "plone": version("Products.CMFPlone"),
                           "context": "/".join(self.context.getPhysicalPath())})
