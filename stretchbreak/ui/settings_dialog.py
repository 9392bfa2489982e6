"""The settings dialog: edits a copy of the settings and hands back the accepted copy.

Every field is checked by the same core rules that read ``settings.toml``; a value they refuse
keeps the dialog open with the field marked and the reason spelled out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QLocale, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from stretchbreak.core.exercise import Exercise
from stretchbreak.core.session_values import TempoMode
from stretchbreak.core.settings import (
    AWAY_MINUTES,
    HEADS_UP_SECONDS,
    INTERVAL_MINUTES,
    LULL_SECONDS,
    REST_SECONDS,
    Settings,
    VoiceMode,
    WholeNumberRange,
)
from stretchbreak.core.settings_parse import SettingProblem, parse_settings
from stretchbreak.core.working_hours import WEEKDAYS, format_clock_time
from stretchbreak.ui.settings_defer import DeferPage, SignState
from stretchbreak.ui.settings_words import DAY_NAMES, field_problem, file_problem, page_for
from stretchbreak.ui.text import tr
from stretchbreak.ui.widgets import label
from stretchbreak.ui.window_style import STYLE


def _spin(allowed: WholeNumberRange, suffix: str, name: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(allowed.low, allowed.high)
    spin.setSuffix(suffix)
    spin.setAccessibleName(name)
    spin.setToolTip(tr("{low} to {high}").format(low=allowed.low, high=allowed.high))
    return spin


def _describe_hours(field: QLineEdit, text: str) -> None:
    """Say "day off" only for an empty day: Qt would read the placeholder out for every day."""
    field.setAccessibleDescription(
        tr("Day off") if not text.strip() else tr("Ranges like 09:00-12:30, 13:30-17:30")
    )


class SettingsDialog(QDialog):
    """Signals: ``settings_accepted(Settings)``."""

    settings_accepted = Signal(object)

    def __init__(
        self,
        settings: Settings,
        exercise: Exercise,
        data_folder: Path,
        away_available: bool | None = None,
        parent: QWidget | None = None,
        defer_states: Sequence[SignState] = (),
    ) -> None:
        super().__init__(parent)
        self._original = settings
        self._data_folder = data_folder
        self._refused = False
        self.setWindowTitle(tr("Settings"))
        self.setStyleSheet(STYLE)
        self.setMinimumWidth(560)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(tr("Settings sections"))
        self.tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its tab bar takes Tab instead
        self.tabs.addTab(self._reminders_tab(), tr("Reminders"))
        self.tabs.addTab(self._break_tab(exercise), tr("Break"))
        self.tabs.addTab(self._away_tab(away_available), tr("Away detection"))
        self.defer_page = DeferPage(defer_states)
        self.tabs.addTab(self.defer_page, tr("Calls"))
        self.tabs.addTab(self._notifications_tab(), tr("Notifications"))
        self.tabs.addTab(self._system_tab(), tr("System"))
        self.problems = label(name="problemBar")
        self.problems.setVisible(False)
        self._file_problems = ""
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)
        self.show_settings(settings)

    # ------------------------------------------------------------------ tabs
    def _reminders_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.interval = _spin(INTERVAL_MINUTES, tr(" min"), tr("Remind every"))
        form.addRow(tr("Remind every"), self.interval)
        self.days: dict[str, QLineEdit] = {}
        form.addRow(
            label(tr("Working hours: ranges like 09:00-12:30, 13:30-17:30; empty for a day off."))
        )
        for day in WEEKDAYS:
            field = QLineEdit()
            field.setAccessibleName(tr("Working hours on {day}").format(day=tr(DAY_NAMES[day])))
            field.setPlaceholderText(tr("day off"))
            field.textChanged.connect(lambda text, f=field: _describe_hours(f, text))
            _describe_hours(field, "")
            form.addRow(tr(DAY_NAMES[day]), field)
            field.textChanged.connect(self._on_field_text_changed)
            self.days[day] = field
        self.fixed_times = QLineEdit()
        self.fixed_times.setAccessibleName(tr("Fixed reminder times"))
        self.fixed_times.setPlaceholderText(tr("none, or times like 10:30, 15:00"))
        self.fixed_times.textChanged.connect(self._on_field_text_changed)
        form.addRow(tr("Also remind at"), self.fixed_times)
        self.heads_up = _spin(HEADS_UP_SECONDS, tr(" s"), tr("Heads-up before a reminder"))
        form.addRow(tr("Heads-up before"), self.heads_up)
        self.lull = _spin(LULL_SECONDS, tr(" s"), tr("Wait for a pause in typing of"))
        form.addRow(tr("Wait for a typing pause of"), self.lull)
        return page

    def _break_tab(self, exercise: Exercise) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.goal = QComboBox()
        self.goal.setAccessibleName(tr("Default goal"))
        for goal in exercise.goals:
            self.goal.addItem(goal.name, goal.id)
        form.addRow(tr("Default goal"), self.goal)
        self.tempo = QComboBox()
        self.tempo.setAccessibleName(tr("Tempo"))
        self.tempo.addItem(tr("Guided: every rep flows on its own"), TempoMode.GUIDED.value)
        self.tempo.addItem(tr("Self-paced: press Space to move on"), TempoMode.SELF_PACED.value)
        form.addRow(tr("Tempo"), self.tempo)
        self.rest = _spin(REST_SECONDS, tr(" s"), tr("Rest between sets"))
        form.addRow(tr("Rest between sets"), self.rest)
        self.sound = QCheckBox(tr("Sound during a break"))
        form.addRow(tr("Sound"), self.sound)
        self.voice = QComboBox()
        self.voice.setAccessibleName(tr("What you hear"))
        self.voice.addItem(tr("A voice says each move and counts the hold"), VoiceMode.SPOKEN.value)
        self.voice.addItem(tr("Soft tones when a hold starts and ends"), VoiceMode.TONES.value)
        self.voice.addItem(tr("Nothing"), VoiceMode.SILENT.value)
        form.addRow(tr("What you hear"), self.voice)
        self.reduced_motion = QCheckBox(tr("Show the figure in still poses (less motion)"))
        form.addRow(tr("Figure"), self.reduced_motion)
        return page

    def _away_tab(self, available: bool | None) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.away_enabled = QCheckBox(tr("Count time away from the computer as a break"))
        form.addRow(self.away_enabled)
        self.away_minutes = _spin(AWAY_MINUTES, tr(" min"), tr("Away for at least"))
        form.addRow(tr("Away for at least"), self.away_minutes)
        if available is not None:
            self.away_status = label(
                tr("Away detection works on this desktop.")
                if available
                else tr("Away detection is unavailable on this desktop.")
            )
            form.addRow(self.away_status)
        return page

    def _notifications_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.notifications = QCheckBox(tr("Also show a desktop notification when a break is due"))
        form.addRow(self.notifications)
        return page

    def _system_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.start_at_login = QCheckBox(tr("Start stretchbreak when I log in"))
        form.addRow(self.start_at_login)
        folder = QHBoxLayout()
        self.folder_label = label(str(self._data_folder), selectable=True)
        self.open_folder = QPushButton(tr("Open folder"))
        self.open_folder.setAccessibleName(tr("Open the data folder"))
        self.open_folder.clicked.connect(self._on_open_folder_clicked)
        folder.addWidget(self.folder_label, 1)
        folder.addWidget(self.open_folder)
        form.addRow(tr("Data folder"), folder)
        language = QLocale.system().nativeLanguageName() or "English"
        form.addRow(
            tr("Language"), QLabel(tr("Follows the system ({language})").format(language=language))
        )
        return page

    # ------------------------------------------------------------------ values
    def show_settings(self, settings: Settings) -> None:
        reminders, breaks = settings.reminders, settings.breaks
        self.interval.setValue(reminders.interval_minutes)
        for day, field in self.days.items():
            field.setText(", ".join(str(r) for r in reminders.working_hours[day]))
        self.fixed_times.setText(", ".join(format_clock_time(t) for t in reminders.fixed_times))
        self.heads_up.setValue(reminders.heads_up_seconds)
        self.lull.setValue(reminders.lull_seconds)
        self.goal.setCurrentIndex(max(0, self.goal.findData(breaks.goal)))
        self.tempo.setCurrentIndex(max(0, self.tempo.findData(breaks.tempo.value)))
        self.rest.setValue(breaks.rest_seconds)
        self.sound.setChecked(breaks.sound)
        self.voice.setCurrentIndex(max(0, self.voice.findData(breaks.voice.value)))
        self.reduced_motion.setChecked(breaks.reduced_motion)
        self.away_enabled.setChecked(settings.away.enabled)
        self.away_minutes.setValue(settings.away.minutes)
        self.defer_page.show_settings(settings.defer)
        self.notifications.setChecked(settings.system.notifications)
        self.start_at_login.setChecked(settings.system.start_at_login)

    def _mapping(self) -> dict[str, object]:
        def items(field: QLineEdit) -> list[str]:
            return [part.strip() for part in field.text().split(",") if part.strip()]

        return {
            "reminders": {
                "interval_minutes": self.interval.value(),
                "fixed_times": items(self.fixed_times),
                "heads_up_seconds": self.heads_up.value(),
                "lull_seconds": self.lull.value(),
                "working_hours": {day: items(field) for day, field in self.days.items()},
            },
            "break": {
                "goal": self.goal.currentData(),
                "tempo": self.tempo.currentData(),
                "rest_seconds": self.rest.value(),
                "sound": self.sound.isChecked(),
                "voice": self.voice.currentData(),
                "reduced_motion": self.reduced_motion.isChecked(),
            },
            "away": {
                "enabled": self.away_enabled.isChecked(),
                "minutes": self.away_minutes.value(),
            },
            "system": {
                "notifications": self.notifications.isChecked(),
                "start_at_login": self.start_at_login.isChecked(),
            },
            "defer": dict(self.defer_page.mapping()),
        }

    def edited(self) -> tuple[Settings, tuple[SettingProblem, ...]]:
        """The settings as the fields say, and what the rules refuse in them."""
        parsed = parse_settings(self._mapping())
        # Keys the dialog does not know about stay exactly as they were in the file.
        return replace(parsed.settings, unknown=self._original.unknown), parsed.problems

    def accept(self) -> None:
        settings, problems = self.edited()
        if problems:
            self._mark(problems)
            self._field_for(self._in_form_order(problems)[0].key).setFocus()
            return
        self._refused = False
        self.settings_accepted.emit(settings)
        if self._refused:  # the save failed: stay open, with the reason, so nothing is lost
            return
        super().accept()

    def show_page_for(self, key: str) -> None:
        """Open at the page holding ``key`` (e.g. from a notice about the settings file)."""
        self.tabs.setCurrentIndex(page_for(key))
        if key.startswith("reminders.working_hours.") or key.startswith("reminders.fixed_times"):
            self._field_for(key).setFocus()

    def show_file_problems(self, problems: tuple[SettingProblem, ...], notice: str) -> None:
        """What was wrong in ``settings.toml`` at start, field by field in the dialog's words
        (the fields show the defaults used instead), then ``notice``: any other word, such as
        a file that could not be read at all."""
        lines = [*(file_problem(problem) for problem in problems), notice]
        self._file_problems = "\n".join(line for line in lines if line)
        self._show_problem_text([])

    def _items(self, field: QLineEdit) -> list[str]:
        return [part.strip() for part in field.text().split(",") if part.strip()]

    def _mark(self, problems: tuple[SettingProblem, ...]) -> None:
        """Mark each refused field and say why in people's words, not the file's key."""
        fields = [self.fixed_times, *self.days.values()]
        wrong = {id(self._field_for(problem.key)) for problem in problems}
        for field in fields:
            field.setProperty("invalid", id(field) in wrong)
            field.style().unpolish(field)
            field.style().polish(field)
        words = []
        for problem in self._in_form_order(problems):
            said = field_problem(problem.key, self._items(self._field_for(problem.key)))
            words.append(said or file_problem(problem))
        self._show_problem_text(words)

    def _in_form_order(self, problems: tuple[SettingProblem, ...]) -> list[SettingProblem]:
        """As the fields stand on the page, top to bottom (the file lists fixed times first)."""
        order = [*self.days.values(), self.fixed_times]
        return sorted(problems, key=lambda problem: order.index(self._field_for(problem.key)))

    def _show_problem_text(self, words: list[str]) -> None:
        text = "\n".join([*words, *([self._file_problems] if self._file_problems else [])])
        self.problems.setText(text)
        self.problems.setVisible(bool(text))

    def _on_field_text_changed(self) -> None:
        """Once a marked field is fixed, its mark and its message go at once."""
        if any(f.property("invalid") for f in [self.fixed_times, *self.days.values()]):
            self._mark(self.edited()[1])

    def refuse_save(self, message: str) -> None:
        """The accepted settings could not be saved: say why here, where the user pressed OK,
        and keep the dialog open with their edits."""
        self._refused = True
        self._show_problem_text([message])

    def _field_for(self, key: str) -> QLineEdit:
        for day, field in self.days.items():
            if key.startswith(f"reminders.working_hours.{day}"):
                return field
        return self.fixed_times

    def _on_open_folder_clicked(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._data_folder)))
