"""The instance channel's request checks: every field's type and range, and exclusive options.

A request that a running app would act on must be exactly what the command line sends;
anything else is refused with an answer that says which field is wrong and why.
"""

from __future__ import annotations

import json
import logging
import time

import pytest

from stretchbreak.infra.instance_protocol import (
    LOG_EVERY_S,
    CommandRejected,
    Throttled,
    check_args,
    decode_request,
    pause_length,
)


def line(**fields: object) -> bytes:
    return json.dumps(fields).encode()


@pytest.mark.parametrize(
    ("request_line", "message"),
    [
        (line(version=-5, command="status"), "version must be a whole number from 1"),
        (line(version=0, command="status"), "version must be a whole number from 1"),
        (line(version=1.0, command="status"), "no protocol version"),
        (line(version=1, command="status", args={}, extra=1), "unknown field 'extra'"),
        (line(version=1, command=7), "no command"),
        (line(version=1, command="x" * 100), "no command"),
    ],
)
def test_a_request_with_a_nonsense_field_is_refused_naming_it(
    request_line: bytes, message: str
) -> None:
    with pytest.raises(CommandRejected, match=message):
        decode_request(request_line)


def test_a_well_formed_request_passes() -> None:
    assert decode_request(line(version=1, command="pause", args={"minutes": 5})) == (
        "pause",
        {"minutes": 5},
    )


def test_args_a_command_does_not_take_are_refused() -> None:
    check_args("status", {}, ())
    with pytest.raises(CommandRejected, match="status takes no 'minutes'"):
        check_args("status", {"minutes": 5}, ())
    with pytest.raises(CommandRejected, match="pause takes no 'goal'"):
        check_args("pause", {"minutes": 5, "goal": "x"}, ("minutes", "until_tomorrow"))


@pytest.mark.parametrize(
    ("args", "expected"),
    [({"minutes": 1}, 1), ({"minutes": 1440}, 1440), ({"until_tomorrow": True}, None)],
)
def test_a_pause_is_minutes_or_until_tomorrow(args: dict[str, object], expected: int) -> None:
    assert pause_length(args) == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"until_tomorrow": "yes"}, "until_tomorrow must be true or false"),
        ({"until_tomorrow": 1}, "until_tomorrow must be true or false"),
        ({"minutes": 30, "until_tomorrow": True}, "either minutes or until_tomorrow, not both"),
        ({"minutes": 30, "until_tomorrow": False}, "either minutes or until_tomorrow, not both"),
        ({"minutes": 0}, "minutes must be a whole number from 1 to 1440"),
        ({"minutes": 1441}, "minutes must be a whole number from 1 to 1440"),
        ({"minutes": True}, "minutes must be a whole number from 1 to 1440"),
        ({"minutes": 5.0}, "minutes must be a whole number from 1 to 1440"),
        ({"minutes": "5"}, "minutes must be a whole number from 1 to 1440"),
        ({}, "pause needs minutes (1 to 1440) or until_tomorrow"),
        ({"until_tomorrow": False}, "pause needs minutes (1 to 1440) or until_tomorrow"),
    ],
)
def test_a_nonsense_pause_is_refused_naming_the_field(
    args: dict[str, object], message: str
) -> None:
    with pytest.raises(CommandRejected, match=message.replace("(", r"\(").replace(")", r"\)")):
        pause_length(args)


def test_a_repeated_warning_is_logged_once_a_minute_with_a_count(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    throttled = Throttled()
    with caplog.at_level(logging.INFO):
        for _ in range(500):  # a failing accept on every turn of the event loop
            throttled.warning("accept", "cannot accept")
            now[0] += 0.001
        throttled.warning("other", "something else")
        now[0] += LOG_EVERY_S
        throttled.warning("accept", "cannot accept")
    assert [record.getMessage() for record in caplog.records] == [
        "cannot accept",
        "something else",
        "cannot accept (499 more like this since)",
    ]
