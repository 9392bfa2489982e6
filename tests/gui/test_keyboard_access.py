"""Keyboard-only use and what assistive technology reads, window by window (offscreen).

The real desktop proof (XTEST keys, at-spi2) is in tests/desktop; these pin each rule fast.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from stretchbreak.core.history import Feeling
from stretchbreak.core.settings import Settings
from stretchbreak.infra.resources import load_bundled_exercise
from stretchbreak.ui.history_window import HistoryWindow
from stretchbreak.ui.settings_dialog import SettingsDialog
from tests.gui.conftest import Guided
from tests.gui.test_history_window import store, window  # noqa: F401  (fixtures)
from tests.gui.test_session_window import begin_reps, run_reps


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
    window: HistoryWindow,  # noqa: F811
    qtbot: QtBot,
) -> None:
    window.activateWindow()
    window.since.setFocus()
    seen = []
    for _ in range(20):
        widget = QApplication.focusWidget()
        seen.append(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    assert window.until in seen
    assert window.table in seen
    assert window.export_csv in seen
    assert window.import_button in seen
    window.until.setFocus()
    qtbot.keyClick(window.until, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is not window.until


def test_history_table_arrows_delete_and_undo(
    window: HistoryWindow,  # noqa: F811
    qtbot: QtBot,
) -> None:
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    selected = window.table.selectionModel().selectedRows()
    assert len(selected) == 1
    before = window.proxy.rowCount()
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    assert window.proxy.rowCount() == before - 1
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.proxy.rowCount() == before


def test_heatmap_days_are_reached_with_arrows_and_named(
    window: HistoryWindow,  # noqa: F811
    qtbot: QtBot,
) -> None:
    heatmap = window.heatmap
    assert heatmap.focusPolicy() & Qt.FocusPolicy.TabFocus
    heatmap.setFocus()
    assert heatmap.accessibleName() == "Wed 25 Nov: 2 sets, 16 reps"  # today, the last day
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
