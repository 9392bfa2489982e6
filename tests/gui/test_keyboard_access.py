"""Keyboard-only use and what assistive technology reads, window by window (offscreen).

The real desktop proof (XTEST keys, at-spi2) is in tests/desktop; these pin each rule fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from stretchbreak.core.history import Feeling
from stretchbreak.core.settings import Settings
from stretchbreak.infra.export_file import write_export
from stretchbreak.infra.resources import load_bundled_exercise
from stretchbreak.infra.store import Store
from stretchbreak.services.history_book import HistoryBook
from stretchbreak.ui.history_window import HistoryWindow
from stretchbreak.ui.settings_dialog import SettingsDialog
from tests.fakes import FakeClock
from tests.gui.conftest import Guided
from tests.gui.test_history_window import SEED, TODAY
from tests.gui.test_session_window import begin_reps, run_reps


@pytest.fixture
def history(qtbot: QtBot, tmp_path: Path) -> Iterator[HistoryWindow]:
    """The history window on the same seeded log as tests/gui/test_history_window.py."""
    store = Store.open(tmp_path / "stretchbreak.sqlite3", tz=UTC)
    store.import_sessions(SEED)
    made = HistoryWindow(
        HistoryBook(store, FakeClock(start=TODAY), lambda: UTC, write_file=write_export),
        load_bundled_exercise(),
    )
    qtbot.addWidget(made)
    made.open()
    yield made
    made.close()
    store.close()


def finish_desk_reset(guided: Guided) -> None:
    guided.key(Qt.Key.Key_Return)  # Start
    guided.key(Qt.Key.Key_Return)  # Ready
    run_reps(guided, 6, hold=1)
    assert guided.page() is guided.window.done_view


def feeling(guided: Guided) -> Feeling | None:
    session = guided.runner.session
    assert session is not None
    assert session.summary is not None
    return session.summary.feeling


def focus(guided: Guided, button: QPushButton) -> None:
    button.setFocus(Qt.FocusReason.TabFocusReason)
    assert QApplication.focusWidget() is button


def test_space_and_enter_press_the_focused_feeling_not_the_window_shortcut(
    guided: Guided,
) -> None:
    finish_desk_reset(guided)
    done = guided.window.done_view
    focus(guided, done.feeling_buttons[Feeling.PAINFUL])
    guided.key(Qt.Key.Key_Space)
    assert feeling(guided) is Feeling.PAINFUL
    assert guided.window.isVisible()  # Space did not press Done
    focus(guided, done.feeling_buttons[Feeling.HARD])
    guided.key(Qt.Key.Key_Return)
    assert feeling(guided) is Feeling.HARD
    assert guided.window.isVisible()  # nor did Enter


def test_keys_one_to_four_choose_a_feeling_and_the_strip_says_so(guided: Guided) -> None:
    finish_desk_reset(guided)
    keys = dict(guided.window.shortcuts.keys)
    assert [keys[n] for n in "1234"] == ["Easy", "Just right", "Hard", "Painful"]
    guided.key(Qt.Key.Key_2)
    assert feeling(guided) is Feeling.JUST_RIGHT
    assert guided.window.done_view.feeling_buttons[Feeling.JUST_RIGHT].isChecked()
    guided.key(Qt.Key.Key_Return)  # nothing focused: Enter is Done
    assert not guided.window.isVisible()


def test_digits_stay_with_the_target_boxes_on_the_start_view(guided: Guided) -> None:
    reps = guided.window.start_view.reps
    reps.setFocus()
    reps.lineEdit().selectAll()
    guided.qtbot.keyClicks(reps, "7")
    assert reps.value() == 7


def test_space_presses_a_focused_header_button(guided: Guided) -> None:
    opened: list[str] = []
    session_window = guided.window
    session_window.history_requested.connect(lambda: opened.append("history"))
    session_window.settings_requested.connect(lambda: opened.append("settings"))
    focus(guided, session_window.history_button)
    guided.key(Qt.Key.Key_Space)
    focus(guided, session_window.settings_button)
    guided.key(Qt.Key.Key_Return)
    focus(guided, session_window.tips_button)
    guided.key(Qt.Key.Key_Space)
    assert opened == ["history", "settings"]
    assert guided.page() is session_window.tips_panel


def test_enter_is_the_main_action_again_when_the_focused_button_goes_away(
    guided: Guided,
) -> None:
    begin_reps(guided)
    guided.key(Qt.Key.Key_Space)  # pause: the window has the keyboard, not a button
    view = guided.runner.view()
    assert view is not None
    assert view.paused
    guided.key(Qt.Key.Key_Return)  # resume
    view = guided.runner.view()
    assert view is not None
    assert not view.paused


def test_goal_cards_and_feelings_are_radio_buttons_for_assistive_technology(
    guided: Guided,
) -> None:
    cards = list(guided.window.start_view.goal_cards.values())
    feelings = list(guided.window.done_view.feeling_buttons.values())
    for button in cards + feelings:
        interface = QAccessible.queryAccessibleInterface(button)
        assert interface is not None
        assert interface.role() == QAccessible.Role.RadioButton, button.text()


def test_the_countdown_is_a_value_that_counts_down(guided: Guided) -> None:
    begin_reps(guided)
    ring = guided.window.rep_view.ring
    guided.advance(2)  # into the hold
    values = [ring.value()]
    guided.clock.advance(1)
    ring._on_frame()  # the ticker's frame, which the fake ticker does not run by itself
    values.append(ring.value())
    assert values == [1, 0] or values[0] > values[1]
    interface = QAccessible.queryAccessibleInterface(ring)
    assert interface is not None
    assert interface.role() == QAccessible.Role.ProgressBar
    assert interface.text(QAccessible.Text.Name) == "Countdown"


def test_the_current_setup_cue_is_named_current(guided: Guided) -> None:
    guided.key(Qt.Key.Key_Return)  # Start: the setup view
    cues = guided.window.setup_view.cues
    assert cues[0].accessibleName().endswith("(current step)")
    assert all(c.accessibleName().endswith("(coming next)") for c in cues[1:])


def test_history_tab_leaves_the_date_fields_and_reaches_export(
    history: HistoryWindow,
    qtbot: QtBot,
) -> None:
    history.activateWindow()
    history.since.setFocus()
    seen = []
    for _ in range(20):
        widget = QApplication.focusWidget()
        seen.append(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    assert history.until in seen
    assert history.table in seen
    assert history.export_csv in seen
    assert history.import_button in seen
    history.until.setFocus()
    qtbot.keyClick(history.until, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is not history.until


def test_history_table_arrows_delete_and_undo(
    history: HistoryWindow,
    qtbot: QtBot,
) -> None:
    history.table.setFocus()
    qtbot.keyClick(history.table, Qt.Key.Key_Down)
    qtbot.keyClick(history.table, Qt.Key.Key_Down)
    selected = history.table.selectionModel().selectedRows()
    assert len(selected) == 1
    before = history.proxy.rowCount()
    qtbot.keyClick(history.table, Qt.Key.Key_Delete)
    assert history.proxy.rowCount() == before - 1
    qtbot.keyClick(history.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert history.proxy.rowCount() == before


def test_heatmap_days_are_reached_with_arrows_and_named(
    history: HistoryWindow,
    qtbot: QtBot,
) -> None:
    heatmap = history.heatmap
    assert heatmap.focusPolicy() & Qt.FocusPolicy.TabFocus
    heatmap.setFocus()
    assert heatmap.accessibleName() == "Wed 25 Nov: 2 sets, 19 reps"  # today, the last day
    qtbot.keyClick(heatmap, Qt.Key.Key_Up)
    assert heatmap.accessibleName() == "Tue 24 Nov: 1 set, 8 reps"
    qtbot.keyClick(heatmap, Qt.Key.Key_Left)
    assert heatmap.accessibleName() == "Tue 17 Nov: no stretch"
    assert heatmap.summary == "4 active days; the busiest had 2 sets"


def test_working_hours_fields_say_day_off_only_when_empty(tmp_path: Path, qtbot: QtBot) -> None:
    dialog = SettingsDialog(Settings(), load_bundled_exercise(), tmp_path)
    qtbot.addWidget(dialog)
    monday, sunday = dialog.days["mon"], dialog.days["sun"]
    assert monday.text()
    assert "day off" not in monday.accessibleDescription().lower()
    assert sunday.accessibleDescription() == "Day off"
    monday.clear()
    assert monday.accessibleDescription() == "Day off"


def tab_cycle(qtbot: QtBot, start: QWidget, backwards: bool = False) -> list[QWidget]:
    """Press Tab (or Shift+Tab) from ``start`` until the keyboard comes back to it."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    seen: list[QWidget] = []
    key = Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab
    for _ in range(200):
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, key)
        now = QApplication.focusWidget()
        assert now is not None
        if now is start:
            return seen
        seen.append(now)
    pytest.fail(f"Tab never came back to {start!r}: a trap near {seen[-3:]}")


def reachable(top: QWidget) -> set[QWidget]:
    """Every shown, enabled control that Tab should stop at."""
    return {
        w
        for w in top.findChildren(QWidget)
        if w.isVisibleTo(top)
        and w.isEnabled()
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and w.focusProxy() is None
        and not isinstance(w.parentWidget(), QAbstractSpinBox)  # a spin box's own line edit
    }


def check_cycles(qtbot: QtBot, top: QWidget, start: QWidget) -> None:
    forward = tab_cycle(qtbot, start)
    backward = tab_cycle(qtbot, start, backwards=True)
    missed = reachable(top) - set(forward) - {start}
    assert missed == set(), [w.accessibleName() or type(w).__name__ for w in missed]
    assert set(backward) == set(forward)


def test_tab_and_shift_tab_cycle_every_control_of_the_guided_window(guided: Guided) -> None:
    session_window = guided.window
    check_cycles(guided.qtbot, session_window, session_window.start_view.start_button)
    finish_desk_reset(guided)
    check_cycles(guided.qtbot, session_window, session_window.done_view.done_button)


def test_tab_and_shift_tab_cycle_every_control_of_the_history_window(
    history: HistoryWindow,
    qtbot: QtBot,
) -> None:
    history.activateWindow()
    check_cycles(qtbot, history, history.export_csv)


def test_tab_and_shift_tab_cycle_every_control_of_the_settings_dialog(
    tmp_path: Path, qtbot: QtBot
) -> None:
    dialog = SettingsDialog(Settings(), load_bundled_exercise(), tmp_path)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    check_cycles(qtbot, dialog, dialog.ok_button)


def test_arrow_keys_move_between_goal_cards_and_choose_one(guided: Guided) -> None:
    cards = guided.window.start_view.goal_cards
    focus(guided, cards["warmup"])
    guided.key(Qt.Key.Key_Right)
    assert QApplication.focusWidget() is cards["mobility"]
    guided.key(Qt.Key.Key_Space)
    assert guided.window.start_view.selected_goal().id == "mobility"


def test_arrow_keys_move_between_feelings(guided: Guided) -> None:
    finish_desk_reset(guided)
    feelings = guided.window.done_view.feeling_buttons
    focus(guided, feelings[Feeling.EASY])
    guided.key(Qt.Key.Key_Right)
    assert QApplication.focusWidget() is feelings[Feeling.JUST_RIGHT]
