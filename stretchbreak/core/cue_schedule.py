"""Which spoken cue is due when during a session, so the voice keeps time with the countdown.

Every cue is planned from the session's own numbers (a phase's deadline and length), like the
countdown ring: "Hold" when the hold starts, "three, two, one" on the last whole seconds before
its deadline, "Return" as it ends. Cues never overlap: ``resolve`` keeps, in order of priority
and then of time, each cue that does not collide with one already kept, and drops the rest —
a count gives way to a phase cue, a later cue to an earlier one of the same rank. A cue still
playing is cut short by the next phase's cue or by a cue of higher priority. ``decide`` then
says what to play at a given instant: a cue missed by more than ``LATE_LIMIT`` (a late tick,
a resume) is skipped.
Texts are the lookup keys of the voice manifest (English); a text without a file is silent.

Every rest length the settings allow is said: the common ones as one phrase ("Rest thirty
seconds."), any other as parts said back to back ("Rest." "Two minutes" "Ten seconds.") —
a phrase is said whole or not at all, never cut to a misleading "Rest. Two minutes", nor
begun in its middle: a part whose part before was skipped (a late tick, a resume) is skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from enum import IntEnum

from stretchbreak.core.session_values import Phase, SessionView

#: Silence kept between two cues, so words never run together.
GAP_SECONDS = 0.15
#: A cue heard this late is still useful; later than this it would say the wrong thing.
LATE_LIMIT = 0.25
#: The hold is counted down over its last whole seconds.
COUNT_FROM = 3

_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)  # fmt: skip
_TENS = {20: "twenty", 30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 90: "ninety"}
#: Rest lengths said as one rendered phrase; any other length is said in parts.
SPOKEN_RESTS = (15, 20, 30, 45, 60, 90, 120)
#: What every session may say, whatever its sets and rest (besides its setup cues).
EVERY_SESSION = (
    "Sit back", "Hold", "three", "two", "one", "Return", "Last rep", "Next set", "Well done",
)  # fmt: skip
#: The longest rest the settings allow (``break.rest_seconds``): 5 minutes.
MAX_REST_SECONDS = 300


class Priority(IntEnum):
    COUNT = 1
    PHASE = 2


@dataclass(frozen=True)
class PlannedCue:
    """One cue: ``key`` is unique within a session so a cue is never played twice."""

    key: str
    text: str
    due: float
    duration: float
    priority: Priority
    #: The key of the phrase's part said just before this one ("" for a cue of its own).
    follows: str = ""

    @property
    def end(self) -> float:
        return self.due + self.duration


@dataclass(frozen=True)
class Decision:
    """What to do at one instant: play ``play``, forget ``skipped``, look again at ``wake_at``."""

    play: PlannedCue | None
    skipped: tuple[PlannedCue, ...]
    wake_at: float | None


def number_words(n: int) -> str:
    """English words for the small numbers the coach says (sets, counts, rest lengths)."""
    if 0 <= n < 20:
        return _WORDS[n]
    if n in _TENS:
        return _TENS[n]
    if 20 < n < 60:
        return f"{_TENS[n - n % 10]}-{_WORDS[n % 10]}"
    if n == 120:
        return "two minutes"
    raise ValueError(f"no words for {n}")


def set_done_text(set_number: int, sets_total: int) -> str:
    return f"Set {number_words(set_number)} of {number_words(sets_total)} done."


def rest_text(seconds: int) -> str:
    """The one-phrase announcement of a common rest length, or "Rest." for any other."""
    if seconds not in SPOKEN_RESTS:
        return "Rest."
    if seconds == 120:
        return "Rest two minutes."
    return f"Rest {number_words(seconds)} seconds."


def rest_texts(seconds: int) -> tuple[str, ...]:
    """The parts that announce a rest of ``seconds``, said back to back in this order."""
    if seconds in SPOKEN_RESTS or not 0 < seconds <= MAX_REST_SECONDS:
        return (rest_text(seconds),)
    minutes, rest = divmod(seconds, 60)
    parts = ["Rest."]
    if minutes:
        parts.append("One minute" if minutes == 1 else f"{number_words(minutes).title()} minutes")
    if rest:
        parts.append("One second." if rest == 1 else f"{number_words(rest).capitalize()} seconds.")
    return tuple(parts)


def all_texts(
    setup_titles: Iterable[str], max_sets: int = 4, max_rest: int = MAX_REST_SECONDS
) -> tuple[str, ...]:
    """Every text the coach can ask for: the list ``scripts/render_voice.py`` renders, for
    sessions of up to ``max_sets`` sets and rests of up to ``max_rest`` seconds."""
    fixed = list(EVERY_SESSION)
    sets = [set_done_text(s, t) for t in range(2, max_sets + 1) for s in range(1, t)]
    rests = [text for seconds in range(1, max_rest + 1) for text in rest_texts(seconds)]
    return tuple(dict.fromkeys([*fixed, *sets, *rests, *setup_titles]))


def plan_phase(
    view: SessionView,
    started: float,
    duration_of: Callable[[str], float | None],
    setup_titles: tuple[str, ...] = (),
    speed: float = 1.0,
) -> list[PlannedCue]:
    """The cues of the phase in ``view``, which began at monotonic ``started``.

    ``duration_of`` gives a text's length in seconds, or None when there is no file for it
    (that cue is left out). Paused or finished-without-praise phases plan nothing.
    """
    if view.paused:
        return []
    prefix = f"{view.set_number}.{view.rep_number}.{view.phase.value}.{view.setup_index}"
    cues: list[PlannedCue] = []

    def add(text: str, due: float, priority: Priority = Priority.PHASE, follows: str = "") -> float:
        """Adds a cue; returns when the next cue in a chain may start."""
        length = duration_of(text)
        if length is None:
            return due
        after = f"{prefix}:{follows}" if follows else ""
        cues.append(PlannedCue(f"{prefix}:{text}", text, due, length, priority, after))
        return due + length + GAP_SECONDS

    deadline = view.deadline
    phase = view.phase
    if phase is Phase.SETUP and view.setup_index < len(setup_titles):
        add(setup_titles[view.setup_index], started)
    elif phase is Phase.MOVE:
        after = started
        if view.rep_number == view.reps_total > 1 and deadline is None:
            after = add("Last rep", started)  # self-paced: no return phase to say it in
        add("Sit back", after)
    elif phase is Phase.HOLD:
        add("Hold", started)
        if deadline is not None:
            for count in range(COUNT_FROM, 0, -1):
                due = deadline - count / speed
                if due >= started:
                    add(_WORDS[count], due, Priority.COUNT)
    elif phase is Phase.RETURN:
        after = add("Return", started)
        if view.rep_number == view.reps_total - 1 >= 1:
            if deadline is not None:
                after = max(after, started + (deadline - started) / 2)
            add("Last rep", after)
    elif phase is Phase.REST:
        nominal = round((view.phase_seconds or 0.0) * speed)
        after = add(set_done_text(view.set_number, view.sets_total), started)
        next_set = None
        if deadline is not None:
            length = duration_of("Next set")
            if length is not None:
                next_set = deadline - length - GAP_SECONDS
        before = next_set if next_set is not None else deadline
        _add_phrase(add, duration_of, rest_texts(nominal), after, before)
        if next_set is not None:
            add("Next set", next_set)
    elif phase is Phase.DONE:
        add("Well done", started)
    if deadline is None:
        return cues
    # Only the phase's opening cue may run past its end (the next phase then cuts it short);
    # any later cue that cannot finish in time would talk over the next moment: dropped.
    return [c for i, c in enumerate(cues) if i == 0 or c.end + GAP_SECONDS <= deadline]


def _add_phrase(
    add: Callable[[str, float, Priority, str], float],
    duration_of: Callable[[str], float | None],
    parts: tuple[str, ...],
    after: float,
    before: float | None,
) -> None:
    """Plans a phrase of several parts back to back from ``after`` only if every part has a
    file and the whole phrase ends (with its gap) by ``before``; otherwise just its first
    part ("Rest."), which alone is never misleading."""
    lengths = [duration_of(part) for part in parts]
    total = sum(length + GAP_SECONDS for length in lengths if length is not None)
    whole = None not in lengths and (before is None or after + total <= before)
    before_part = ""
    for part in parts if whole else parts[:1]:
        after = add(part, after, Priority.PHASE, before_part)
        before_part = part


def _overlap(a: PlannedCue, b: PlannedCue) -> bool:
    return a.due < b.end + GAP_SECONDS and b.due < a.end + GAP_SECONDS


def _phase_of(cue: PlannedCue) -> str:
    return cue.key.partition(":")[0]


def _yields(cue: PlannedCue, playing: PlannedCue) -> bool:
    """Whether ``cue`` must give way to ``playing``: only to a cue of the same phase that
    ranks as high or higher. A phase that has moved on makes what is still playing stale."""
    if cue.key == playing.key or _phase_of(cue) != _phase_of(playing):
        return False
    return cue.priority <= playing.priority


def resolve(cues: Iterable[PlannedCue], playing: PlannedCue | None = None) -> list[PlannedCue]:
    """The cues that will be heard, in time order; none overlaps another.

    Higher priority first, then earlier first: each cue is kept only if it collides with no
    cue already kept. Against ``playing`` (a cue being heard now), a cue of a later phase or
    of higher priority is kept and cuts it short; one of the same phase and of equal or lower
    priority is dropped.
    """
    kept: list[PlannedCue] = []
    for cue in sorted(cues, key=lambda c: (-c.priority, c.due)):
        if any(_overlap(cue, other) for other in kept):
            continue
        if playing is not None and _overlap(cue, playing) and _yields(cue, playing):
            continue
        kept.append(cue)
    heard: list[PlannedCue] = []
    keys = {cue.key for cue in kept}
    for cue in sorted(kept, key=lambda c: c.due):
        if cue.follows and cue.follows not in keys:
            keys.discard(cue.key)  # its phrase lost a part before it: never heard from the middle
            continue
        heard.append(cue)
    return heard


def decide(
    plan: Iterable[PlannedCue],
    now: float,
    done: Collection[str],
    skipped_before: Collection[str] = (),
) -> Decision:
    """At ``now``: the cue to play (the latest one due, if not too late), the ones to skip,
    and when to look again. ``done`` holds keys already played or skipped,
    ``skipped_before`` those skipped: a phrase's part whose part before was skipped is
    skipped too, so a phrase is never heard from its middle."""
    due: list[PlannedCue] = []
    upcoming: list[PlannedCue] = []
    for cue in sorted(plan, key=lambda c: c.due):
        if cue.key in done:
            continue
        (due if cue.due <= now else upcoming).append(cue)
    play = None
    if due and now - due[-1].due <= LATE_LIMIT:
        play = due[-1]
    skipped = [cue for cue in due if cue is not play]
    dropped = {*skipped_before, *(cue.key for cue in skipped)}
    if play is not None and play.follows in dropped:
        skipped.append(play)
        dropped.add(play.key)
        play = None
    waiting: list[float] = []
    for cue in upcoming:
        if cue.follows in dropped:
            skipped.append(cue)
            dropped.add(cue.key)
        else:
            waiting.append(cue.due)
    return Decision(play, tuple(skipped), min(waiting) if waiting else None)
