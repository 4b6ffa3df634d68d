"""The bottom kit: pieces every app uses that know nothing of accounts, audit or the apps.

spreadsheets (Excel in and out), documents (GB/T 9704 Word files), bulk (bulk inserts), pages
(paging, htmx partials, downloads), forms (service errors on forms), querysets (chunked reads),
http (the client's address), crypto (field encryption and the blind index). Nothing here
imports from weibao except weibao.lib.
"""
