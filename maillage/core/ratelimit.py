"""A fixed-window counter per client address, in the cache (shared by app servers with Redis).

Only a keyed hash of the address is stored, and only for the window: no visitor data is kept.
"""

import time

from django.core.cache import cache
from django.utils.crypto import salted_hmac


def within_limit(scope: str, address: str, *, limit: int, window_seconds: int) -> bool:
    """Count one more hit for this address in this scope; False once the limit is passed."""
    window = int(time.time() // window_seconds)
    digest = salted_hmac(f"ratelimit.{scope}", f"{address}:{window}", algorithm="sha256")
    key = f"ratelimit:{scope}:{digest.hexdigest()[:32]}"
    cache.add(key, 0, timeout=window_seconds * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.set(key, 1, timeout=window_seconds * 2)
        count = 1
    return count <= limit
