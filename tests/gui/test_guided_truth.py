"""The guided window says what is true: the hold it chose, what was done, a real smaller
target, a fresh feeling each session, whether sound can play, and a window that fits."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

from PySide6.QtCore import QByteArray, QPoint, QRect, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from stretchbreak.core.history import Feeling
from stretchbreak.core.session_values import TempoMode
from stretchbreak.core.settings import VoiceMode
from stretchbreak.infra.export_file import write_export
from stretchbreak.services.history_book import HistoryBook
from stretchbreak.ui.history_window import HistoryWindow
from stretchbreak.ui.session_window import SessionWindow
from stretchbreak.ui.window_geometry import fit_on_screen, fitted
from tests.gui.conftest import Guided
from tests.gui.test_session_window import MOVE, begin_reps, choose, run_reps


def test_the_hold_step_names_the_hold_chosen_not_a_fixed_range(guided: Guided) -> None:
    choose(guided, "recovery", 2, 6, 4, TempoMode.GUIDED)
    begin_reps(guided)
    guided.advance(MOVE)
    rep = guided.window.rep_view
    assert rep.cue.text() == "Hold — breathe"
    assert "for 4 seconds," in rep.detail.text()
    assert "1–3" not in rep.detail.text()


def test_a_session_ended_after_two_reps_shows_those_reps(guided: Guided) -> None:
    choose(guided, "recovery", 2, 6, 3, TempoMode.GUIDED)
    begin_reps(guided)
    run_reps(guided, 2, hold=3)
    guided.key(Qt.Key.Key_Escape)
    guided.key(Qt.Key.Key_Return)  # End session
    done = guided.window.done_view
    assert done.heading.text() == "Session ended early"
    assert done.value_text("sets") == "0 of 2 (one cut short after 2 reps)"
    assert done.value_text("reps") == "2 of 12"


def test_painful_at_the_lightest_target_says_so_and_what_to_do(guided: Guided) -> None:
    choose(guided, "desk-reset", 1, 6, 1, TempoMode.GUIDED)  # the goal's lightest
    begin_reps(guided)
    run_reps(guided, 6, hold=1)
    done = guided.window.done_view
    done.feeling_buttons[Feeling.PAINFUL].click()
    assert done.next_time.text().startswith("This was already the lightest target of this goal.")
    assert "smaller target" not in done.next_time.text()


def test_after_painful_in_a_small_window_the_advice_is_in_view(guided: Guided) -> None:
    guided.window.resize(640, 480)
    begin_reps(guided)
    run_reps(guided, 6, hold=1)
    done = guided.window.done_view
    done.feeling_buttons[Feeling.PAINFUL].click()
    viewport = done._scroll.viewport()
    advice = QRect(done.next_time.mapTo(viewport, QPoint(0, 0)), done.next_time.size())
    assert viewport.rect().contains(advice), (advice, viewport.rect())


def test_a_feeling_chosen_once_is_not_shown_chosen_in_the_next_session(guided: Guided) -> None:
    begin_reps(guided)
    run_reps(guided, 6, hold=1)
    done = guided.window.done_view
    done.feeling_buttons[Feeling.PAINFUL].click()
    assert last_feeling(guided, "session-1") is Feeling.PAINFUL
    guided.key(Qt.Key.Key_Return)  # Done
    guided.flow.open()
    with guided.qtbot.waitActive(guided.window):
        guided.window.activateWindow()
    begin_reps(guided)
    run_reps(guided, 6, hold=1)
    assert guided.page() is done
    assert not any(button.isChecked() for button in done.feeling_buttons.values())
    assert not done.safety.isVisibleTo(guided.window)
    assert last_feeling(guided, "session-2") is None
    done.feeling_buttons[Feeling.EASY].click()
    assert last_feeling(guided, "session-2") is Feeling.EASY


def last_feeling(guided: Guided, session_id: str) -> Feeling | None:
    """What the log keeps as the answer to the latest session, which must be ``session_id``."""
    last = guided.log.last_session(guided.exercise.id)
    assert last is not None
    assert last.session_id == session_id
    return last.feeling


def test_the_sound_button_says_when_there_is_no_audio_output(guided: Guided) -> None:
    button = guided.window.sound_button
    guided.window.set_voice(VoiceMode.SPOKEN)
    assert button.text() == "Voice on"
    guided.window.set_sound_available(False)
    assert button.text() == "No audio output"
    assert button.accessibleName() == "No audio output"
    assert "cannot play" in button.accessibleDescription()
    assert not button.isEnabled()
    guided.window.set_voice(VoiceMode.SILENT)  # the setting may change; the button tells the truth
    assert button.text() == "No audio output"
    guided.window.set_sound_available(True)
    assert (button.text(), button.isEnabled()) == ("Sound off", True)


def test_the_sound_button_asks_for_the_next_mode_and_shows_what_it_is_told(
    guided: Guided,
) -> None:
    button = guided.window.sound_button
    asked: list[VoiceMode] = []
    guided.window.voice_requested.connect(asked.append)
    for mode, text in (
        (VoiceMode.SPOKEN, "Voice on"),
        (VoiceMode.TONES, "Tones only"),
        (VoiceMode.SILENT, "Sound off"),
    ):
        guided.window.set_voice(mode)
        assert button.text() == text
        button.click()
    assert asked == [VoiceMode.TONES, VoiceMode.SILENT, VoiceMode.SPOKEN]
    assert button.text() == "Sound off"  # only the app's answer changes what it shows


def test_the_sound_button_reads_as_its_state_and_what_a_press_does(guided: Guided) -> None:
    """A push button (not a check box) named by its state; the change is announced."""
    button = guided.window.sound_button
    guided.window.set_voice(VoiceMode.SPOKEN)
    assert not button.isCheckable()
    spoken = (button.accessibleName(), button.accessibleDescription())
    assert spoken == ("Voice on", "Press for tones only")
    button.announcements.clear()
    for mode in (VoiceMode.TONES, VoiceMode.SILENT, VoiceMode.SILENT, VoiceMode.SPOKEN):
        guided.window.set_voice(mode)
    assert button.announcements == [
        "Tones only. Press for sound off",
        "Sound off. Press for voice on",
        "Voice on. Press for tones only",
    ]  # told once per change, never for the same state again


# ---------------------------------------------------------------- whole on the screen
def test_a_window_is_moved_and_if_need_be_shrunk_into_the_free_area() -> None:
    screen = QRect(0, 0, 1440, 900)
    assert fitted(QRect(240, 195, 960, 720), screen) == QRect(240, 180, 960, 720)
    assert fitted(QRect(-50, -10, 800, 600), screen) == QRect(0, 0, 800, 600)
    assert fitted(QRect(100, 100, 2000, 1200), screen) == QRect(0, 0, 1440, 900)
    # A second screen to the right, with a panel along its top.
    right = QRect(1440, 32, 1280, 992)
    assert fitted(QRect(2500, 600, 960, 720), right) == QRect(1760, 304, 960, 720)
    assert fitted(QRect(10, 10, 400, 300), screen) == QRect(10, 10, 400, 300)


def free_area() -> QRect:
    screen = QGuiApplication.primaryScreen()
    assert screen is not None
    return screen.availableGeometry()


def wholly_on(window: QWidget, area: QRect) -> bool:
    return area.contains(window.frameGeometry())


def test_the_guided_window_opens_whole_at_a_place_remembered_too_low(
    qtbot: QtBot, guided: Guided, tmp_path: Path
) -> None:
    area = free_area()
    state_file = tmp_path / "low.ini"
    probe = SessionWindow(guided.exercise, guided.runner, guided.tickers)
    qtbot.addWidget(probe)
    probe.setGeometry(area.x() + 40, area.bottom() - 300, 900, 720)  # hangs off the bottom
    settings = QSettings(str(state_file), QSettings.Format.IniFormat)
    settings.setValue("session_window/geometry", probe.saveGeometry())
    settings.sync()
    assert isinstance(settings.value("session_window/geometry"), QByteArray)
    window = SessionWindow(guided.exercise, guided.runner, guided.tickers, state_file=state_file)
    qtbot.addWidget(window)
    window.present()
    qtbot.waitExposed(window)
    assert wholly_on(window, area), (window.frameGeometry(), area)


def test_a_default_size_larger_than_the_screen_is_fitted(qtbot: QtBot, guided: Guided) -> None:
    window = guided.window
    window.resize(4000, 3000)
    fit_on_screen(window, QRect(0, 0, 700, 560))
    assert QRect(0, 0, 700, 560).contains(window.frameGeometry())


def test_the_history_window_opens_whole(qtbot: QtBot, guided: Guided) -> None:
    book = HistoryBook(None, guided.clock, lambda: UTC, write_file=write_export)
    history = HistoryWindow(book, guided.exercise)  # 1000 × 760 by default
    qtbot.addWidget(history)
    history.move(free_area().x() + 300, free_area().y() + 400)
    history.open()
    qtbot.waitExposed(history)
    assert wholly_on(history, free_area()), (history.frameGeometry(), free_area())
