"""The settings dialog: edits a copy of the settings and hands back the accepted copy.

Every field is checked by the same core rules that read ``settings.toml``; a value they refuse
keeps the dialog open with the field marked and the reason spelled out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

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
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from stretchbreak.core.exercise import Exercise
from stretchbreak.core.settings import Settings, settings_to_mapping
from stretchbreak.core.settings_parse import SettingProblem, parse_settings
from stretchbreak.core.settings_schema import choices_of
from stretchbreak.core.working_hours import WEEKDAYS
from stretchbreak.ui.settings_defer import DeferPage, SignState
from stretchbreak.ui.settings_fields import Inputs, read_inputs, show_inputs, spin
from stretchbreak.ui.settings_words import DAY_NAMES, field_problem, file_problem, page_for
from stretchbreak.ui.text import tr
from stretchbreak.ui.widgets import label
from stretchbreak.ui.window_style import STYLE

_W = TypeVar("_W", bound=QWidget)


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
        #: Every field by its settings key: shown and read through the schema.
        self.inputs: Inputs = {}
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
        self.inputs.update(self.defer_page.inputs)
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
        self.interval = self._bind(
            "reminders.interval_minutes",
            spin("reminders.interval_minutes", tr(" min"), tr("Remind every")),
        )
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
            self.days[day] = self._bind(f"reminders.working_hours.{day}", field)
        self.fixed_times = self._bind("reminders.fixed_times", QLineEdit())
        self.fixed_times.setAccessibleName(tr("Fixed reminder times"))
        self.fixed_times.setPlaceholderText(tr("none, or times like 10:30, 15:00"))
        self.fixed_times.textChanged.connect(self._on_field_text_changed)
        form.addRow(tr("Also remind at"), self.fixed_times)
        self.heads_up = self._bind(
            "reminders.heads_up_seconds",
            spin("reminders.heads_up_seconds", tr(" s"), tr("Heads-up before a reminder")),
        )
        form.addRow(tr("Heads-up before"), self.heads_up)
        self.lull = self._bind(
            "reminders.lull_seconds",
            spin("reminders.lull_seconds", tr(" s"), tr("Wait for a pause in typing of")),
        )
        form.addRow(tr("Wait for a typing pause of"), self.lull)
        return page

    def _break_tab(self, exercise: Exercise) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.goal = self._bind("break.goal", QComboBox())
        self.goal.setAccessibleName(tr("Default goal"))
        for goal in exercise.goals:
            self.goal.addItem(goal.name, goal.id)
        form.addRow(tr("Default goal"), self.goal)
        self.tempo = self._choices(
            "break.tempo",
            {
                "guided": tr("Guided: every rep flows on its own"),
                "self-paced": tr("Self-paced: press Space to move on"),
            },
        )
        self.tempo.setAccessibleName(tr("Tempo"))
        form.addRow(tr("Tempo"), self.tempo)
        self.rest = self._bind(
            "break.rest_seconds", spin("break.rest_seconds", tr(" s"), tr("Rest between sets"))
        )
        form.addRow(tr("Rest between sets"), self.rest)
        self.sound = self._bind("break.sound", QCheckBox(tr("Sound during a break")))
        form.addRow(tr("Sound"), self.sound)
        self.voice = self._choices(
            "break.voice",
            {
                "spoken": tr("A voice says each move and counts the hold"),
                "tones": tr("Soft tones when a hold starts and ends"),
                "silent": tr("Nothing"),
            },
        )
        self.voice.setAccessibleName(tr("What you hear"))
        form.addRow(tr("What you hear"), self.voice)
        self.reduced_motion = self._bind(
            "break.reduced_motion", QCheckBox(tr("Show the figure in still poses (less motion)"))
        )
        form.addRow(tr("Figure"), self.reduced_motion)
        return page

    def _away_tab(self, available: bool | None) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.away_enabled = self._bind(
            "away.enabled", QCheckBox(tr("Count time away from the computer as a break"))
        )
        form.addRow(self.away_enabled)
        self.away_minutes = self._bind(
            "away.minutes", spin("away.minutes", tr(" min"), tr("Away for at least"))
        )
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
        self.notifications = self._bind(
            "system.notifications",
            QCheckBox(tr("Also show a desktop notification when a break is due")),
        )
        form.addRow(self.notifications)
        return page

    def _system_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.start_at_login = self._bind(
            "system.start_at_login", QCheckBox(tr("Start stretchbreak when I log in"))
        )
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
    def _bind(self, key: str, widget: _W) -> _W:
        """Register ``widget`` as the field of the settings key ``key``."""
        self.inputs[key] = widget
        return widget

    def _choices(self, key: str, words: dict[str, str]) -> QComboBox:
        """A combo box offering the schema's choices for ``key``, each in people's words."""
        box = self._bind(key, QComboBox())
        for value in choices_of(key):
            box.addItem(words[value], value)
        return box

    def show_settings(self, settings: Settings) -> None:
        show_inputs(self.inputs, settings_to_mapping(settings))

    def _mapping(self) -> dict[str, object]:
        return read_inputs(self.inputs)

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
