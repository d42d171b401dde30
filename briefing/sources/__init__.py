"""Where articles come from: the local inbox, feeds, followed pages and single URLs.

base.py         the ``Source``/``WebSource`` protocols and ``admit`` (the store step)
inbox.py        the inbox folders, one file at a time
feed_source.py  a feed's new items, each page with the item's summary as stand-in
feeds.py        the RSS/Atom parser
web.py          a ``--url`` page and a followed page
registry.py     the sources a user follows, and their health
report.py       how each network source did in one run
"""
