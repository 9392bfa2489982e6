"""The guided window driven as a person would: keys and clicks, time moved by the fake clock."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QLabel
from pytestqt.qtbot import QtBot

from stretchbreak.core.history import CompletedSet, Feeling, Outcome, Source
from stretchbreak.core.session_values import Phase, TempoMode
from stretchbreak.core.target import Target
from stretchbreak.ui.session_window import SessionWindow
from tests.gui.conftest import Guided

MOVE = RETURN = 2


def run_reps(guided: Guided, reps: int, hold: float) -> None:
    """Let whole guided reps pass, one wake-up per phase as the real timer would give."""
    for _ in range(reps):
        guided.advance(MOVE)
        guided.advance(hold)
        guided.advance(RETURN)


def choose(guided: Guided, goal: str, sets: int, reps: int, hold: int, tempo: TempoMode) -> None:
    start = guided.window.start_view
    start.goal_cards[goal].click()
    start.sets.setValue(sets)
    start.reps.setValue(reps)
    start.hold.setValue(hold)
    (start.guided if tempo is TempoMode.GUIDED else start.self_paced).click()


def begin_reps(guided: Guided) -> None:
    guided.key(Qt.Key.Key_Return)  # Start
    guided.key(Qt.Key.Key_Return)  # Ready


# ---------------------------------------------------------------- whole sessions
def test_a_desk_break_reset_completes_with_enter_alone(guided: Guided) -> None:
    window = guided.window
    assert guided.page() is window.start_view
    assert window.start_view.selected_goal().id == "desk-reset"
    guided.key(Qt.Key.Key_Return)
    assert guided.page() is window.setup_view
    guided.key(Qt.Key.Key_Return)
    assert guided.page() is window.rep_view
    assert window.rep_view.counter.text() == "Set 1 of 1 · Rep 1 of 6"
    assert window.rep_view.cue.text() == "Sit the hips back"
    run_reps(guided, 6, hold=1)
    assert guided.page() is window.done_view
    assert [(s.set_index, s.reps, s.partial) for s in guided.sets] == [(1, 6, False)]
    assert guided.sets[0].source is Source.MANUAL
    guided.key(Qt.Key.Key_Return)
    assert not window.isVisible()


@pytest.mark.parametrize(
    ("goal", "target"),
    [
        ("warmup", Target(1, 8, 1)),
        ("mobility", Target(2, 10, 1)),
        ("recovery", Target(2, 6, 3)),
        ("desk-reset", Target(1, 6, 1)),
    ],
)
def test_each_goal_runs_in_full_starting_from_its_lower_bounds(
    guided: Guided, goal: str, target: Target
) -> None:
    guided.window.start_view.goal_cards[goal].click()
    assert guided.window.start_view.request().target == target
    begin_reps(guided)
    for set_number in range(1, target.sets + 1):
        assert guided.window.rep_view.counter.text().startswith(
            f"Set {set_number} of {target.sets}"
        )
        run_reps(guided, target.reps, hold=target.hold_seconds)
        if set_number < target.sets:
            assert guided.page() is guided.window.rest_view
            guided.advance(30)
    assert guided.page() is guided.window.done_view
    assert [s.reps for s in guided.sets] == [target.reps] * target.sets
    summary = guided.ended[0]
    assert summary.outcome is Outcome.COMPLETED
    assert guided.window.done_view.value_text("sets") == f"{target.sets} of {target.sets}"


def test_a_self_paced_session_by_keyboard_only(guided: Guided) -> None:
    choose(guided, "desk-reset", 1, 6, 2, TempoMode.SELF_PACED)
    begin_reps(guided)
    rep_view = guided.window.rep_view
    for rep in range(1, 7):
        assert rep_view.counter.text() == f"Set 1 of 1 · Rep {rep} of 6"
        guided.advance(30)  # nothing moves until the user says so
        assert rep_view.cue.text() == "Sit the hips back"
        guided.key(Qt.Key.Key_Space)
        assert rep_view.cue.text() == "Hold — breathe"
        assert rep_view.ring.seconds_text() == "2"
        guided.advance(2)
        assert rep_view.cue.text() == "Return with control"
        guided.key(Qt.Key.Key_Space)
    assert guided.page() is guided.window.done_view
    assert [s.reps for s in guided.sets] == [6]


def test_self_paced_setup_moves_cue_by_cue_with_space(guided: Guided) -> None:
    choose(guided, "desk-reset", 1, 6, 1, TempoMode.SELF_PACED)
    guided.key(Qt.Key.Key_Return)
    setup = guided.window.setup_view
    for index in range(1, 5):
        guided.key(Qt.Key.Key_Space)
        assert setup.cues[index].property("current") is True
    guided.key(Qt.Key.Key_Space)  # past the last cue: Ready
    assert guided.page() is guided.window.rep_view


def test_guided_setup_highlights_one_cue_at_a_time(guided: Guided) -> None:
    guided.key(Qt.Key.Key_Return)
    setup = guided.window.setup_view
    assert [c.property("current") for c in setup.cues] == [True, False, False, False, False]
    guided.advance(6)
    assert [c.property("current") for c in setup.cues] == [False, True, False, False, False]
    assert "knee" in setup.tip.text().lower()
    setup.next_button.click()
    assert setup.cues[2].property("current") is True


# ---------------------------------------------------------------- pause, tips, cancel
def test_pause_during_a_hold_resumes_with_the_remaining_time_exact(guided: Guided) -> None:
    choose(guided, "recovery", 2, 6, 5, TempoMode.GUIDED)
    begin_reps(guided)
    guided.advance(MOVE)
    guided.clock.advance(1.5)  # 1.5 s into the 5 s hold
    guided.key(Qt.Key.Key_Space)
    rep_view = guided.window.rep_view
    assert rep_view.paused_note.isVisibleTo(guided.window)
    assert rep_view.pause_button.text() == "Resume"
    guided.advance(600)
    assert rep_view.cue.text() == "Hold — breathe"
    assert rep_view.ring.remaining() == pytest.approx(3.5)
    assert rep_view.ring.seconds_text() == "4"
    guided.key(Qt.Key.Key_Space)
    guided.advance(3.499)
    assert rep_view.cue.text() == "Hold — breathe"
    guided.advance(0.001)
    assert rep_view.cue.text() == "Return with control"


def test_tips_open_with_f1_pause_the_set_and_closing_offers_resume(guided: Guided) -> None:
    begin_reps(guided)
    guided.advance(MOVE)
    guided.key(Qt.Key.Key_F1)
    window = guided.window
    assert guided.page() is window.tips_panel
    assert window.runner_is_paused() if hasattr(window, "runner_is_paused") else True
    session = guided.runner.session
    assert session is not None
    assert session.paused
    guided.advance(120)
    guided.key(Qt.Key.Key_F1)
    assert guided.page() is window.rep_view
    assert window.rep_view.paused_note.isVisibleTo(window)
    assert ("Enter / Space", "Resume") in window.shortcuts.keys
    guided.key(Qt.Key.Key_Return)
    assert not session.paused


def test_tips_list_every_tip_mistake_question_and_item(guided: Guided) -> None:
    guided.window.tips_button.click()
    sections = guided.window.tips_panel.sections
    assert sections["Pro tips"] == 4
    assert sections["Common mistakes"] == 3
    assert sections["Questions"] == 5
    assert sections["Optional equipment"] == 6  # five items and the comfort tip
    guided.key(Qt.Key.Key_Escape)
    assert guided.page() is guided.window.start_view


def test_esc_mid_set_asks_first_and_keep_going_resumes(guided: Guided) -> None:
    begin_reps(guided)
    run_reps(guided, 2, hold=1)
    guided.key(Qt.Key.Key_Escape)
    window = guided.window
    assert window.confirm_bar.isVisibleTo(window)
    session = guided.runner.session
    assert session is not None
    assert session.paused
    guided.key(Qt.Key.Key_Escape)
    assert not window.confirm_bar.isVisibleTo(window)
    assert not session.paused
    assert session.phase.in_rep


def test_ending_mid_set_keeps_the_set_as_partial(guided: Guided) -> None:
    choose(guided, "recovery", 2, 6, 3, TempoMode.GUIDED)
    begin_reps(guided)
    run_reps(guided, 6, hold=3)
    guided.advance(30)
    run_reps(guided, 2, hold=3)
    abandoned: list[CompletedSet] = []
    guided.runner.set_abandoned.connect(abandoned.append)
    guided.key(Qt.Key.Key_Escape)
    guided.key(Qt.Key.Key_Return)  # End session
    assert [(s.set_index, s.reps) for s in guided.sets] == [(1, 6)]
    assert [(s.set_index, s.reps, s.partial) for s in abandoned] == [(2, 2, True)]
    assert guided.page() is guided.window.done_view
    assert guided.window.done_view.heading.text() == "Session ended early"
    assert guided.log.session_sets("session-1") == guided.sets + abandoned


def test_cancel_during_rest_keeps_the_completed_sets(guided: Guided) -> None:
    choose(guided, "recovery", 3, 6, 3, TempoMode.GUIDED)
    begin_reps(guided)
    run_reps(guided, 6, hold=3)
    assert guided.page() is guided.window.rest_view
    guided.key(Qt.Key.Key_Escape)
    guided.window.end_button.click()
    summary = guided.ended[0]
    assert summary.outcome is Outcome.CANCELLED
    assert [s.set_index for s in summary.completed_sets] == [1]
    assert [s.partial for s in summary.sets] == [False]


def test_esc_during_setup_returns_to_the_start_view(guided: Guided) -> None:
    guided.key(Qt.Key.Key_Return)
    guided.key(Qt.Key.Key_Escape)
    assert guided.page() is guided.window.start_view
    guided.key(Qt.Key.Key_Return)
    assert guided.page() is guided.window.setup_view


def test_closing_the_window_mid_set_keeps_what_was_done(guided: Guided) -> None:
    begin_reps(guided)
    run_reps(guided, 3, hold=1)
    guided.window.close()
    session = guided.runner.session
    assert session is not None
    assert session.phase is Phase.CANCELLED
    assert [(s.reps, s.partial) for s in guided.log.session_sets("session-1")] == [(3, True)]


# ---------------------------------------------------------------- rest keys
def test_plus_adds_fifteen_seconds_and_s_skips_the_rest(guided: Guided) -> None:
    choose(guided, "recovery", 2, 6, 3, TempoMode.GUIDED)
    begin_reps(guided)
    run_reps(guided, 6, hold=3)
    rest = guided.window.rest_view
    assert rest.next_set.text() == "Next: set 2 of 2 · 6 reps · 3\u00a0s hold"
    guided.advance(10)
    guided.key(Qt.Key.Key_Plus)
    assert rest.ring.remaining() == pytest.approx(35.0)
    guided.key(Qt.Key.Key_S)
    assert guided.page() is guided.window.rep_view
    assert guided.window.rep_view.counter.text() == "Set 2 of 2 · Rep 1 of 6"


def test_enter_during_rest_continues_to_the_next_set(guided: Guided) -> None:
    choose(guided, "recovery", 2, 6, 3, TempoMode.GUIDED)
    begin_reps(guided)
    run_reps(guided, 6, hold=3)
    guided.key(Qt.Key.Key_Return)
    assert guided.window.rep_view.counter.text() == "Set 2 of 2 · Rep 1 of 6"


def test_p_pauses_a_self_paced_set(guided: Guided) -> None:
    choose(guided, "desk-reset", 1, 6, 1, TempoMode.SELF_PACED)
    begin_reps(guided)
    guided.key(Qt.Key.Key_P)
    session = guided.runner.session
    assert session is not None
    assert session.paused
    guided.key(Qt.Key.Key_Space)
    assert not session.paused


# ---------------------------------------------------------------- done view
def test_the_feeling_answer_reaches_the_session_and_the_log(guided: Guided) -> None:
    begin_reps(guided)
    run_reps(guided, 6, hold=1)
    done = guided.window.done_view
    assert not done.safety.isVisibleTo(guided.window)
    done.feeling_buttons[Feeling.JUST_RIGHT].click()
    session = guided.runner.session
    assert session is not None
    assert session.summary is not None
    assert session.summary.feeling is Feeling.JUST_RIGHT
    last = guided.log.last_session(guided.exercise.id)
    assert last is not None
    assert last.feeling is Feeling.JUST_RIGHT


def test_painful_shows_the_safety_advice_and_a_smaller_target(guided: Guided) -> None:
    choose(guided, "recovery", 3, 8, 4, TempoMode.GUIDED)
    begin_reps(guided)
    for set_number in range(3):
        run_reps(guided, 8, hold=4)
        if set_number < 2:
            guided.advance(30)
    done = guided.window.done_view
    done.feeling_buttons[Feeling.PAINFUL].click()
    assert done.safety.isVisibleTo(guided.window)
    assert "sharp pain in your spine" in " ".join(
        w.text() for w in done.safety.findChildren(QLabel)
    )
    assert done.next_time.text() == "Next time try a smaller target: 2 sets × 6 reps · 3 s hold."
    assert done.value_text("reps") == "24 of 24"


# ---------------------------------------------------------------- start view
def test_the_target_can_only_be_set_inside_the_goal_range(guided: Guided) -> None:
    start = guided.window.start_view
    start.goal_cards["recovery"].click()
    assert (start.sets.minimum(), start.sets.maximum()) == (2, 4)
    assert (start.reps.minimum(), start.reps.maximum()) == (6, 10)
    assert (start.hold.minimum(), start.hold.maximum()) == (3, 5)
    start.reps.setValue(99)
    assert start.reps.value() == 10
    start.goal_cards["warmup"].click()
    assert (start.hold.minimum(), start.hold.maximum()) == (1, 3)
    assert "First time" in start.reason.text()


def test_reopening_defaults_to_the_last_goal_and_the_grown_target(guided: Guided) -> None:
    choose(guided, "recovery", 2, 6, 3, TempoMode.SELF_PACED)
    guided.key(Qt.Key.Key_Return)
    guided.key(Qt.Key.Key_Escape)  # leave during setup
    guided.window.start_view.goal_cards["recovery"].click()
    guided.window.start_view.hold.setValue(3)
    begin_reps(guided)
    for _ in range(2):
        for _ in range(6):
            guided.key(Qt.Key.Key_Space)
            guided.advance(3)
            guided.key(Qt.Key.Key_Space)
        guided.advance(30)
    guided.window.done_view.feeling_buttons[Feeling.EASY].click()
    guided.key(Qt.Key.Key_Return)
    guided.flow.open()
    start = guided.window.start_view
    assert start.selected_goal().id == "recovery"
    assert start.self_paced.isChecked()
    assert start.request().target == Target(2, 6, 4)
    assert "one second longer" in start.reason.text()


# ---------------------------------------------------------------- window behaviour
def test_the_shortcut_strip_documents_the_keys_of_each_view(guided: Guided) -> None:
    window = guided.window
    assert [k for k, _ in window.shortcuts.keys] == ["Enter", "F1", "Esc"]
    guided.key(Qt.Key.Key_Return)
    assert ("Enter", "Ready") in window.shortcuts.keys
    guided.key(Qt.Key.Key_Return)
    assert ("Space", "Pause") in window.shortcuts.keys
    assert ("Esc", "End") in window.shortcuts.keys


def test_every_control_has_an_accessible_name(guided: Guided) -> None:
    controls = guided.window.findChildren(QAbstractButton) + guided.window.findChildren(
        QAbstractSpinBox
    )
    assert len(controls) > 15
    unnamed = [c for c in controls if not (c.accessibleName() or c.text())]
    assert unnamed == []


def test_set_rep_and_phase_changes_are_announced(guided: Guided) -> None:
    begin_reps(guided)
    guided.advance(MOVE)
    guided.advance(1)
    announced = guided.window.announcements
    assert announced[-3:] == [
        "Set 1 of 1 · Rep 1 of 6. Sit back",
        "Set 1 of 1 · Rep 1 of 6. Hold",
        "Set 1 of 1 · Rep 1 of 6. Return",
    ]
    guided.advance(RETURN)
    assert announced[-1] == "Set 1 of 1 · Rep 2 of 6. Sit back"


def test_the_ring_animates_only_while_a_countdown_is_on_screen(guided: Guided) -> None:
    begin_reps(guided)
    ring = guided.window.rep_view.ring
    assert ring.animating
    guided.key(Qt.Key.Key_Space)  # pause
    assert not ring.animating
    guided.key(Qt.Key.Key_Space)
    assert ring.animating
    guided.window.close()
    assert not ring.animating


def test_the_window_remembers_its_size(guided: Guided, tmp_path: Path, qtbot: QtBot) -> None:
    guided.window.resize(777, 555)
    guided.window.close()
    state_file = tmp_path / "window-state.ini"
    assert stat.S_IMODE(state_file.stat().st_mode) == 0o600
    again = SessionWindow(guided.exercise, guided.runner, guided.tickers, state_file=state_file)
    qtbot.addWidget(again)
    again.present()
    assert (again.width(), again.height()) == (777, 555)


@pytest.mark.parametrize("page_name", ["start", "setup", "rep", "rest", "done", "tips"])
def test_every_view_fits_640_by_480_without_clipped_text(guided: Guided, page_name: str) -> None:
    window = guided.window
    window.resize(640, 480)
    choose(guided, "recovery", 2, 6, 3, TempoMode.GUIDED)
    if page_name != "start":
        guided.key(Qt.Key.Key_Return)
    if page_name in ("rep", "rest", "done"):
        guided.key(Qt.Key.Key_Return)
        guided.advance(MOVE)
    if page_name in ("rest", "done"):
        run_reps(guided, 6, hold=3)
    if page_name == "done":
        guided.advance(30)
        run_reps(guided, 6, hold=3)
        guided.window.done_view.feeling_buttons[Feeling.PAINFUL].click()
    if page_name == "tips":
        guided.key(Qt.Key.Key_F1)
    guided.qtbot.wait(1)  # let layouts settle
    page = guided.page()
    assert window.minimumSizeHint().width() <= 640
    assert window.minimumSizeHint().height() <= 480
    clipped = [
        lbl.text()
        for lbl in page.findChildren(QLabel)  # type: ignore[attr-defined]
        if lbl.isVisibleTo(window)
        and lbl.text()
        and lbl.heightForWidth(lbl.width()) > lbl.height() + 1
    ]
    assert clipped == []
