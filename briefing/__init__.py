"""brief: daily situation reports from the day's news, every statement cited."""

__version__ = "0.1.0"
