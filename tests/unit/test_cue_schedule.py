"""The spoken coach's timing, decided in core with the fake clock: what is said when."""

from __future__ import annotations

import dataclasses
import itertools

import pytest

from stretchbreak.core.cue_schedule import (
    GAP_SECONDS,
    LATE_LIMIT,
    PlannedCue,
    Priority,
    all_texts,
    decide,
    number_words,
    plan_phase,
    resolve,
    rest_text,
    rest_texts,
    set_done_text,
)
from stretchbreak.core.session import BreakSession
from stretchbreak.core.session_values import SessionPlan, TempoMode
from stretchbreak.core.target import Target
from tests.builders import make_exercise, make_goal
from tests.fakes import FakeClock

#: Lengths like the shipped clips: short words, longer sentences.
LENGTHS = {
    "Sit back": 0.5, "Hold": 0.3, "three": 0.35, "two": 0.3, "one": 0.3, "Return": 0.4,
    "Last rep": 0.6, "Next set": 0.6, "Well done": 0.6, "Rest.": 0.4,
    "Set one of two done.": 1.2, "Rest thirty seconds.": 1.2, "Cue 1": 0.5, "Cue 2": 0.5,
    "Two minutes": 0.7, "Five seconds.": 0.8, "Three seconds.": 0.8,
}  # fmt: skip
TITLES = ("Cue 1", "Cue 2")


class Coach:
    """Plays a session the way services/voice.py does, with the fake clock, and records when."""

    def __init__(
        self,
        tempo: TempoMode = TempoMode.GUIDED,
        speed: float = 1.0,
        reps: int = 3,
        rest: float = 30,
    ) -> None:
        self.clock = FakeClock()
        plan = SessionPlan(
            "s", make_exercise(setup_cues=2), make_goal(reps=(1, 10)), Target(2, reps, 4), tempo,
            rest_seconds=rest, speed=speed,
        )  # fmt: skip
        self.session = BreakSession(plan, self.clock)
        self.speed = speed
        self.heard: list[tuple[float, str]] = []
        self.keys: list[str] = []
        self.done: set[str] = set()
        self.skipped: set[str] = set()
        self.plan: list[PlannedCue] = []
        self.started = 0.0
        self.phase: object = None
        self.playing: PlannedCue | None = None

    def look(self) -> None:
        """A view change: re-plan the phase, then play what is due (like on_view_changed)."""
        self.session.tick()
        view = self.session.view()
        now = self.clock.monotonic()
        phase = (view.phase, view.set_number, view.rep_number, view.setup_index)
        if view.deadline is not None and view.phase_seconds is not None:
            self.started = view.deadline - view.phase_seconds
        elif phase != self.phase:
            self.started = now
        self.phase = phase
        planned = plan_phase(view, self.started, LENGTHS.get, TITLES, self.speed)
        playing = self.playing if self.playing and self.playing.end > now else None
        self.plan = resolve(planned, playing)
        self.wake()

    def wake(self) -> None:
        decision = decide(self.plan, self.clock.monotonic(), self.done, self.skipped)
        self.done.update(c.key for c in decision.skipped)
        self.skipped.update(c.key for c in decision.skipped)
        if decision.play is not None:
            self.done.add(decision.play.key)
            self.playing = decision.play
            self.heard.append((round(self.clock.monotonic() - 1000.0, 3), decision.play.text))
            self.keys.append(decision.play.key.partition(":")[0])

    def run(self, seconds: float, step: float = 1 / 16) -> None:
        """Small steps that add up exactly in binary floating point, so times compare equal."""
        for _ in range(round(seconds / step)):
            self.clock.advance(step)
            self.look()

    def texts(self) -> list[str]:
        return [text for _, text in self.heard]


def started_coach(**kw: object) -> Coach:
    coach = Coach(**kw)  # type: ignore[arg-type]
    coach.session.begin()
    coach.look()
    coach.heard.clear()  # "Sit back" cuts the first setup cue short: only the reps count here
    coach.keys.clear()
    coach.session.ready()
    coach.look()
    return coach


def test_a_rep_is_spoken_at_its_moments() -> None:
    coach = started_coach()
    coach.run(8.0)  # move 2, hold 4, return 2
    assert coach.heard[:6] == [
        (0.0, "Sit back"), (2.0, "Hold"), (3.0, "three"), (4.0, "two"), (5.0, "one"),
        (6.0, "Return"),
    ]  # fmt: skip


def test_the_last_rep_is_announced_in_the_return_before_it() -> None:
    coach = started_coach()
    coach.run(16.5)
    texts = coach.texts()
    last = texts.index("Last rep")
    assert texts[last - 1 : last + 2] == ["Return", "Last rep", "Sit back"]
    assert coach.heard[last - 1][0] == 14.0  # the second rep's return
    assert 14.0 < coach.heard[last][0] < 16.0


def test_a_set_ends_with_its_number_the_rest_and_next_set() -> None:
    coach = started_coach()
    coach.run(24.0 + 30.0 + 0.1)
    texts = coach.texts()
    rest = texts.index("Set one of two done.")
    assert texts[rest : rest + 3] == ["Set one of two done.", "Rest thirty seconds.", "Next set"]
    times = {text: t for t, text in coach.heard}
    assert times["Rest thirty seconds."] == pytest.approx(24.0 + 1.2 + GAP_SECONDS, abs=0.06)
    assert times["Next set"] == pytest.approx(54.0 - 0.6 - GAP_SECONDS, abs=0.06)
    assert texts[-1] == "Sit back"  # the next set begins on its own cue


def test_an_uncommon_rest_is_said_in_parts_back_to_back() -> None:
    coach = started_coach(rest=125)
    coach.run(24.0 + 125.0 + 0.1)
    texts = coach.texts()
    rest = texts.index("Set one of two done.")
    assert texts[rest : rest + 5] == [
        "Set one of two done.", "Rest.", "Two minutes", "Five seconds.", "Next set",
    ]  # fmt: skip
    said = coach.heard[rest : rest + 5]
    for (start, text), (following, _) in itertools.pairwise(said):
        assert following >= start + LENGTHS[text] + GAP_SECONDS - 1e-9, text  # no overlap
    assert said[1][0] == pytest.approx(24.0 + 1.2 + GAP_SECONDS, abs=0.07)
    assert said[3][0] < 24.0 + 5.0  # the whole phrase at the start of the rest


def test_a_rest_phrase_is_said_whole_or_cut_to_rest() -> None:
    coach = started_coach(rest=3)
    coach.run(24.0 + 3.0 + 0.1)
    texts = coach.texts()
    rest = texts.index("Set one of two done.")
    # "Rest. Three seconds." would run into "Next set": only "Rest." is said, never half.
    assert texts[rest : rest + 3] == ["Set one of two done.", "Rest.", "Next set"]
    assert "Three seconds." not in texts


def test_a_rest_phrase_is_never_heard_from_its_middle() -> None:
    coach = started_coach(rest=125)
    coach.run(24.0)  # the rest begins: "Set one of two done."
    coach.clock.advance(1.2 + GAP_SECONDS + LATE_LIMIT + 0.1)  # the machine stalls past "Rest."
    coach.look()
    coach.run(125.0)
    texts = coach.texts()
    rest = texts.index("Set one of two done.")
    # Not "Two minutes. Five seconds." out of nowhere: the phrase is dropped with its start.
    assert texts[rest : rest + 2] == ["Set one of two done.", "Next set"]


def test_a_phrase_part_goes_with_the_part_before_it() -> None:
    rest = PlannedCue("r:Rest.", "Rest.", 10.0, 0.4, Priority.PHASE)
    two = PlannedCue("r:Two minutes", "Two minutes", 10.55, 0.7, Priority.PHASE, "r:Rest.")
    five = PlannedCue("r:Five", "Five seconds.", 11.4, 0.8, Priority.PHASE, "r:Two minutes")
    late = decide([rest, two, five], 10.0 + LATE_LIMIT + 0.01, set())
    assert (late.play, late.skipped, late.wake_at) == (None, (rest, two, five), None)
    assert decide([two, five], 10.6, {"r:Rest."}, {"r:Rest."}).play is None
    assert decide([rest, two, five], 10.6, {"r:Rest."}).play == two  # "Rest." was heard
    # A cue still playing that "Rest." would talk over keeps it, and so its phrase, out.
    playing = PlannedCue("r:Set one of two done.", "Set one of two done.", 9.5, 1.0, Priority.PHASE)
    assert resolve([rest, two, five], playing) == []


def test_every_rest_the_settings_allow_is_said_with_its_length() -> None:
    texts = set(all_texts([]))
    for seconds in range(1, 301):
        parts = rest_texts(seconds)
        assert set(parts) <= texts, seconds
        assert parts != ("Rest.",), seconds
    assert rest_texts(61) == ("Rest.", "One minute", "One second.")
    assert rest_texts(180) == ("Rest.", "Three minutes")
    assert rest_texts(45) == ("Rest forty-five seconds.",)


def test_the_session_ends_with_well_done() -> None:
    coach = started_coach(reps=1)
    coach.run(8.0 + 30.0 + 8.0 + 0.1)
    assert coach.texts()[-1] == "Well done"
    assert "Last rep" not in coach.texts()  # a single rep is never "the last"


def test_setup_cues_are_spoken_one_by_one() -> None:
    coach = Coach()
    coach.session.begin()
    coach.look()
    coach.run(6.25)
    assert coach.heard == [(0.0, "Cue 1"), (6.0, "Cue 2")]


def test_pause_inside_a_hold_is_silent_and_resume_keeps_the_count_on_time() -> None:
    coach = started_coach()
    coach.run(3.5)  # 1.5 s into the hold: "Hold", "three" heard
    coach.session.pause()
    coach.look()
    coach.run(20.0)
    assert coach.texts() == ["Sit back", "Hold", "three"]
    coach.session.resume()
    coach.look()
    resumed_at = coach.clock.monotonic() - 1000.0
    coach.run(3.0)
    later = [(round(t - resumed_at, 2), x) for t, x in coach.heard[3:]]
    assert later[:3] == [(0.5, "two"), (1.5, "one"), (2.5, "Return")]


def test_a_late_tick_skips_what_is_past_and_says_what_is_due() -> None:
    coach = started_coach()
    coach.clock.advance(2.0 + 2.1)  # the machine slept through "Hold" and "three"
    coach.look()
    coach.run(2.0)
    assert coach.texts() == ["Sit back", "two", "one", "Return"]


def test_speed_scales_timing_and_drops_what_no_longer_fits() -> None:
    coach = started_coach(speed=2.0)
    coach.run(4.0)  # move 1, hold 2, return 1
    heard = coach.heard
    assert heard[0] == (0.0, "Sit back")
    assert (1.0, "Hold") in heard
    assert (2.5, "one") in heard  # a second of hold is half a second at double speed
    assert (3.0, "Return") in heard
    for (t1, a), (t2, _) in itertools.pairwise(heard):
        assert t1 + LENGTHS[a] + GAP_SECONDS <= t2 + 1e-9  # nothing overlaps


def test_cues_never_overlap_whatever_the_speed() -> None:
    for speed in (1.0, 3.0, 10.0):
        coach = started_coach(speed=speed)
        coach.run(60.0 / speed, step=1 / 128)
        pairs = zip(coach.heard, coach.heard[1:], coach.keys, coach.keys[1:], strict=False)
        for (t1, a), (t2, _), phase1, phase2 in pairs:
            # Only a new phase may cut a cue short; within a phase, cues never overlap.
            assert t1 + LENGTHS[a] <= t2 + 1e-9 or phase1 != phase2, (speed, coach.heard)


def test_self_paced_says_last_rep_before_sit_back() -> None:
    coach = started_coach(tempo=TempoMode.SELF_PACED, reps=2)
    for _ in range(2):
        coach.run(1.5)
        coach.session.advance()
        coach.look()
        coach.run(4.5)
        coach.session.advance()
        coach.look()
    coach.run(1.5)
    texts = coach.texts()
    assert texts.count("Hold") == 2
    assert texts[texts.index("Last rep") + 1] == "Sit back"


def test_resolve_keeps_phase_cues_over_counts_and_cuts_only_lower_ones() -> None:
    hold = PlannedCue("p:Hold", "Hold", 10.0, 0.3, Priority.PHASE)
    three = PlannedCue("p:three", "three", 10.1, 0.35, Priority.COUNT)
    assert resolve([three, hold]) == [hold]
    playing_count = PlannedCue("p:two", "two", 9.9, 0.3, Priority.COUNT)
    assert resolve([hold], playing_count) == [hold]  # the count is cut short
    assert resolve([three], hold) == []  # a count never cuts a phase cue of its phase
    assert resolve([hold], hold) == [hold]
    earlier_phase = PlannedCue("x:Cue 1", "Cue 1", 9.9, 1.0, Priority.PHASE)
    sit_back = PlannedCue("y:Sit back", "Sit back", 10.0, 0.5, Priority.PHASE)
    assert resolve([sit_back], earlier_phase) == [sit_back]  # the phase moved on
    same_phase = PlannedCue("y:Last rep", "Last rep", 9.8, 0.6, Priority.PHASE)
    assert resolve([sit_back], same_phase) == []


def test_decide_plays_the_latest_due_and_says_when_to_wake() -> None:
    a = PlannedCue("a", "Hold", 10.0, 0.3, Priority.PHASE)
    b = PlannedCue("b", "two", 11.0, 0.3, Priority.COUNT)
    early = decide([a, b], 9.0, set())
    assert (early.play, early.skipped, early.wake_at) == (None, (), 10.0)
    on_time = decide([a, b], 10.0 + LATE_LIMIT, set())
    assert (on_time.play, on_time.wake_at) == (a, 11.0)
    too_late = decide([a, b], 10.0 + LATE_LIMIT + 0.01, set())
    assert (too_late.play, too_late.skipped) == (None, (a,))
    assert decide([a, b], 12.0, {"a", "b"}).play is None


def test_words_and_texts() -> None:
    assert [number_words(n) for n in (1, 15, 30, 45, 90, 120)] == [
        "one", "fifteen", "thirty", "forty-five", "ninety", "two minutes",
    ]  # fmt: skip
    assert (number_words(37), number_words(59)) == ("thirty-seven", "fifty-nine")
    with pytest.raises(ValueError, match="no words"):
        number_words(61)
    assert set_done_text(2, 3) == "Set two of three done."
    assert (rest_text(120), rest_text(37)) == ("Rest two minutes.", "Rest.")
    texts = all_texts(["Kneel down"])
    assert {"Sit back", "three", "Set three of four done.", "Kneel down"} <= set(texts)
    assert len(texts) == len(set(texts))


def test_a_missing_clip_is_silent_not_an_error() -> None:
    coach = started_coach()
    coach.plan = resolve(plan_phase(coach.session.view(), 0.0, lambda _text: None))
    assert coach.plan == []


def test_phases_without_a_deadline_plan_only_their_opening_cues() -> None:
    coach = started_coach()
    coach.run(2.5)  # inside the hold
    hold = coach.session.view()
    untimed = dataclasses.replace(hold, deadline=None)
    assert [c.text for c in plan_phase(untimed, 0.0, LENGTHS.get)] == ["Hold"]
    coach.run(3 * 8.0)  # into the rest
    rest = coach.session.view()
    assert [
        c.text for c in plan_phase(dataclasses.replace(rest, deadline=None), 0.0, LENGTHS.get)
    ] == [
        "Set one of two done.",
        "Rest thirty seconds.",
    ]
    no_next = {k: v for k, v in LENGTHS.items() if k != "Next set"}
    planned = plan_phase(rest, rest.deadline - 30.0, no_next.get)  # type: ignore[operator]
    assert "Next set" not in [c.text for c in planned]


def test_a_short_hold_counts_only_the_seconds_it_has_and_an_ended_session_says_nothing() -> None:
    coach = started_coach()
    coach.run(2.5)
    hold = coach.session.view()
    started = hold.deadline - 4.0  # type: ignore[operator]
    short = dataclasses.replace(hold, deadline=started + 2.0, phase_seconds=2.0)
    texts = [c.text for c in plan_phase(short, started, LENGTHS.get)]
    assert texts == ["Hold", "two", "one"]
    coach.session.cancel()
    assert plan_phase(coach.session.view(), 0.0, LENGTHS.get) == []
