"""The user's time zone as a real zone, so past days keep their own UTC offset across DST."""

from __future__ import annotations

import logging
from datetime import datetime, tzinfo

import tzlocal

log = logging.getLogger(__name__)


def local_zone() -> tzinfo:
    """The system's zone (tzlocal reads /etc/localtime, TZ, the registry); never fails."""
    try:
        zone: tzinfo = tzlocal.get_localzone()
    except Exception:  # a broken zone setting must not stop the app
        log.warning("could not read the local time zone; using the current UTC offset")
        fallback = datetime.now().astimezone().tzinfo
        assert fallback is not None
        return fallback
    return zone
