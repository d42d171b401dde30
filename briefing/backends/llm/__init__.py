"""The LLM backend, one module per job, behind the one-method ``SummaryBackend`` seam.

    plan.py     what will be called, and what it costs (also ``--estimate``); no I/O
    read.py     the map step: a chunk of article text -> claims with verbatim quotes
    calls.py    one request: cache, budget, deadline, concurrency, re-ask, call log
    check.py    claims whose quote or numbers are not in their article are dropped
    compose.py  headline, points and conflicts per development; takeaways and outlook
    backend.py  ``OpenAIBackend.summarise``: the steps above in order

Article text reaches the model only inside delimiters and datamarked (spotlighting,
``llm.datamark``: see ``llm_io``); the system prompt says it is data, and claim
verification stays the last line whatever the model answers.
"""

from briefing.backends.llm.backend import OpenAIBackend
from briefing.backends.llm.plan import Plan

__all__ = ["OpenAIBackend", "Plan"]
