"""Where articles come from: the local inbox, feeds and single URLs."""
