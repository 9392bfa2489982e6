"""Reads and writes ``settings.toml`` so that no file, however broken, stops the app or is lost.

Reading never changes a readable file: problems are reported and the user's text stays as they
wrote it until they save from the dialog. A file that is not TOML at all is moved aside as
``settings.toml.bad-<UTC time>`` (never over an earlier one), so the next save cannot destroy
it. Writing is atomic, so a crash mid-save leaves the old file or the new one, never half.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import tomli_w

from stretchbreak.core.settings import Settings, settings_to_mapping
from stretchbreak.core.settings_parse import SettingProblem, parse_settings
from stretchbreak.infra.atomic_file import remove_stale_temporaries, write_atomically

__all__ = [
    "HEADER",
    "LoadedSettings",
    "SettingsNotSaved",
    "load_settings",
    "remove_stale_temporaries",
    "save_settings",
]

#: tomli-w writes no comments, so the pointer to the documentation is written by hand.
HEADER = "# stretchbreak settings: every key is explained in docs/settings.md\n\n"
_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
#: A notice lists this many problems; a file full of them needs fixing, not a long read.
_MAX_LISTED = 10
#: How many ``-2``, ``-3`` … names to try before giving up on moving a broken file aside.
_MAX_ASIDE = 1000
#: Tables nested deeper than this cannot be written back (the TOML writer recurses).
_MAX_DEPTH = 100


class SettingsNotSaved(Exception):
    """Saving was refused or failed; the message says why, names the file, and is shown
    where the user asked to save (the dialog, the sound button), never in a hidden window."""


@dataclass(frozen=True)
class LoadedSettings:
    """What the app runs with, and what to tell the user (``notice`` is None when all is well).

    ``moved_to`` is where a broken file now is, so the notice and a later look can find it.
    """

    settings: Settings
    problems: tuple[SettingProblem, ...] = ()
    moved_to: Path | None = None
    notice: str | None = None


class _Broken(Exception):
    """The file's content cannot be read as TOML; the reason is a phrase for the notice."""


def load_settings(path: Path, now: Callable[[], datetime]) -> LoadedSettings:
    """Always returns usable settings; ``now`` stamps the name of a file moved aside."""
    try:
        data = _read(path)
    except FileNotFoundError:
        return LoadedSettings(Settings())
    except OSError as error:
        return LoadedSettings(Settings(), notice=_unreadable(path, error))
    try:
        document = _decode(data)
    except _Broken as broken:
        return _move_aside(path, str(broken), now)
    parsed = parse_settings(document)
    if not parsed.problems:
        return LoadedSettings(parsed.settings)
    count = len(parsed.problems)
    lines = [f"- {problem.message}" for problem in parsed.problems[:_MAX_LISTED]]
    if count > _MAX_LISTED:
        lines.append(f"- … and {count - _MAX_LISTED} more")
    notice = (
        f"The settings file {path} has {count} problem{'s' * (count != 1)}; the file was "
        "left as it is:\n" + "\n".join(lines)
    )
    return LoadedSettings(parsed.settings, parsed.problems, notice=notice)


def _read(path: Path) -> bytes:
    """Refuses anything but a regular file first, so a FIFO in its place cannot hang the app."""
    mode = path.stat().st_mode
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(0, "it is a folder, not a file")
    if not stat.S_ISREG(mode):
        raise OSError(0, "it is not a regular file")
    return path.read_bytes()


def _unreadable(path: Path, error: OSError) -> str:
    reason = error.strerror or str(error)
    return (
        f"Could not read the settings file {path}: {reason}. The default settings are used "
        "for now and the file was left as it is."
    )


def _decode(data: bytes) -> dict[str, object]:
    try:
        text = data.decode("utf-8-sig")  # a BOM from a Windows editor is harmless
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start]
        raise _Broken(f"it is not UTF-8 text (byte 0x{byte:02x} on line {line})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _Broken(f"it is not valid TOML: {_syntax_error(error)}") from None
    except RecursionError:
        raise _Broken("it is nested too deeply to read") from None
    except ValueError as error:  # tomllib lets Python's 4300-digit limit for numbers through
        raise _Broken(f"it cannot be read as TOML: {error}") from None


def _syntax_error(error: tomllib.TOMLDecodeError) -> str:
    """tomllib says "Invalid value (at line 3, column 10)"; the notice reads better without
    the parentheses, and keeps the message as it is should a Python phrase it otherwise."""
    text = str(error)
    match = _POSITION.search(text)
    if match is None:  # pragma: no cover - every tomllib error so far carries its position
        return text
    return f"{text[: match.start()].rstrip()} at line {match[1]}, column {match[2]}"


def _move_aside(path: Path, reason: str, now: Callable[[], datetime]) -> LoadedSettings:
    stamp = now().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    try:
        moved = _rename_without_overwriting(path, f"{path.name}.bad-{stamp}")
    except OSError as error:
        notice = (
            f"The settings file {path} is broken ({reason}) and could not be moved aside "
            f"({error.strerror or error}). The default settings are used; saving settings "
            "in the app would replace it, so copy it somewhere first if you want to keep it."
        )
        return LoadedSettings(Settings(), notice=notice)
    notice = (
        f"The settings file {path} is broken ({reason}). It was moved to {moved} and the "
        "default settings are used; fix that file and move it back, or change the settings "
        "in the app to write a new one."
    )
    return LoadedSettings(Settings(), moved_to=moved, notice=notice)


def _rename_without_overwriting(path: Path, name: str) -> Path:
    """A hard link fails if the target exists, so even a race cannot overwrite an older copy."""
    for number in range(1, _MAX_ASIDE + 1):
        target = path.with_name(name if number == 1 else f"{name}-{number}")
        try:
            os.link(path, target)
        except FileExistsError:
            continue
        except OSError:  # no hard links here (some network and FAT file systems)
            if target.exists():
                continue
            path.rename(target)
            return target
        path.unlink()
        return target
    raise FileExistsError(0, f"{_MAX_ASIDE} earlier broken copies are in the way", str(path))


def save_settings(path: Path, settings: Settings) -> None:
    """Writes all of ``settings``, unknown keys included, private to the user (0600), or
    raises ``SettingsNotSaved`` and leaves the file as it is.

    A symbolic link (settings kept in a dotfiles repository) is written through, so the link
    stays and its target gets the new text; a file the user made read-only is respected.
    """
    target = _write_target(path)
    mapping = settings_to_mapping(settings)
    deep = _too_deep(mapping)
    if deep is not None:
        raise SettingsNotSaved(
            f"Could not save the settings: {path} holds {deep}, nested more than {_MAX_DEPTH} "
            "tables deep, which cannot be written back. Remove it from the file, then save again."
        )
    body = (HEADER + tomli_w.dumps(mapping)).encode("utf-8")
    try:
        write_atomically(target, body, mode=0o600)
    except OSError as error:
        raise SettingsNotSaved(
            f"Could not save the settings to {target}: {error.strerror or error}."
        ) from error


def _write_target(path: Path) -> Path:
    """The file to replace: a link's target (made absolute), after checking that the user
    has not made it read-only. Root may write anything, so the owner's write bit decides."""
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return target
    except OSError as error:
        raise SettingsNotSaved(
            f"Could not save the settings to {target}: {error.strerror or error}."
        ) from error
    if not stat.S_ISREG(mode):
        raise SettingsNotSaved(
            f"Could not save the settings: {target} is not a regular file, so it was left alone."
        )
    if not mode & stat.S_IWUSR:
        raise SettingsNotSaved(
            f"Your settings file {target} is read-only, so your changes were not saved. "
            "Make it writable to save from the app, or edit it by hand."
        )
    return target


def _too_deep(mapping: dict[str, object]) -> str | None:
    """The dotted name (shortened) of a table nested deeper than ``_MAX_DEPTH``, if any;
    walked without recursion, since recursion is exactly what such a table breaks."""
    stack: list[tuple[tuple[str, ...], object]] = [((), mapping)]
    while stack:
        keys, value = stack.pop()
        if len(keys) > _MAX_DEPTH:
            return ".".join(keys[:3]) + ".…"
        if isinstance(value, dict):
            stack.extend(((*keys, str(key)), inner) for key, inner in value.items())
        elif isinstance(value, list):
            stack.extend((keys, inner) for inner in value)
    return None
