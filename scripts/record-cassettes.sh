#!/usr/bin/env bash
# Re-record the LLM cassettes in cassettes/llm/.
#
#   scripts/record-cassettes.sh            # against the scripted server on 127.0.0.1
#   OPENAI_API_KEY=... [OPENAI_BASE_URL=...] [BRIEF_TEST_MODEL=gpt-4o-mini] \
#     scripts/record-cassettes.sh --live   # the live_ok tests against a real endpoint
#
# Replaying (what CI does) needs no flag: pytest tests/test_llm_backend.py
set -euo pipefail
cd "$(dirname "$0")/.."
PYTEST=${PYTEST:-.venv/bin/pytest}

if [[ "${1:-}" == "--live" ]]; then
  : "${OPENAI_API_KEY:?set OPENAI_API_KEY (and OPENAI_BASE_URL for a non-OpenAI endpoint)}"
  # the endpoint is not on 127.0.0.1, so the project's --block-network default is lifted
  BRIEF_LLM_LIVE=1 exec "$PYTEST" tests/test_llm_backend.py -m live_ok \
    --record-mode=rewrite -o addopts="-ra"
fi
rm -rf cassettes/llm/backend
exec "$PYTEST" tests/test_llm_backend.py --record-mode=rewrite -q
