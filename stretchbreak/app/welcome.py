"""Wiring of what the app tells people about itself: the welcome, About, and file problems.

Part of the composition root. The welcome appears once per data folder, at the first pause
in typing and without taking the keyboard, never under or over the guided window: a first
start with ``break`` shows the guided window the user asked for, and the welcome once it has
closed. About and the welcome can be reopened from the tray menu or the status window. A
settings file with problems is reported where people look (a notification, the tray tooltip
and menu, the status window), not only in the log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication

from stretchbreak import __version__
from stretchbreak.app.context import Openers, RunContext
from stretchbreak.core.welcome_facts import day_groups, next_work_start
from stretchbreak.infra.first_start import mark_welcomed, needs_welcome
from stretchbreak.infra.idle import IdleBackend
from stretchbreak.infra.resources import resources_dir
from stretchbreak.infra.settings_file import LoadedSettings
from stretchbreak.services.calm_moment import CalmMoment
from stretchbreak.services.coordinator import Coordinator
from stretchbreak.services.timers import WakeTimerFactory
from stretchbreak.ui.app_icon import use_app_icon
from stretchbreak.ui.face import Face
from stretchbreak.ui.text import plural, tr

if TYPE_CHECKING:
    from stretchbreak.infra.notifications import DesktopNotifications
    from stretchbreak.ui.about import AboutWindow
    from stretchbreak.ui.settings_dialog import SettingsDialog
    from stretchbreak.ui.welcome import WelcomeInfo, WelcomeWindow

log = logging.getLogger(__name__)


class Welcome:
    """The welcome and About windows of one run, built when first shown."""

    def __init__(
        self,
        run: RunContext,
        coordinator: Coordinator,
        face: Face,
        data_dir: Path,
        opens: Openers,
        guided_open: Callable[[], bool] = lambda: False,
    ) -> None:
        """``guided_open`` says whether the guided window is on screen: the welcome waits."""
        self._run = run
        self._settings = run.settings
        self._coordinator = coordinator
        self._face = face
        self._data_dir = data_dir
        self._opens = opens
        self._guided_open = guided_open
        self.window: WelcomeWindow | None = None
        self.about: AboutWindow | None = None
        self._calm: CalmMoment | None = None
        self._said_guided = False
        face.intents.welcome_requested.connect(self.open_welcome)
        face.intents.about_requested.connect(self.open_about)

    # ------------------------------------------------------------------ first start
    def greet_if_new(
        self, had_log: bool, idle: IdleBackend | None, wake_timer: WakeTimerFactory
    ) -> bool:
        """On a first start, wait for a pause in typing and then show the welcome once.

        The first look comes on the next turn of the event loop, after the start has opened
        what its command asked for; while the guided window is open, the welcome waits.
        """
        if not needs_welcome(self._data_dir, had_log):
            return False
        lull = self._settings().reminders.lull_seconds / self._run.speed
        self._calm = CalmMoment(idle, lull, wake_timer, held=self._guided_waits)
        self._calm.arrived.connect(self._on_calm_arrived)
        log.info("first start in %s: the welcome waits for a pause in typing", self._data_dir)
        self._calm.wait_from_next_turn()
        return True

    def _guided_waits(self) -> bool:
        """Whether the guided window holds the welcome back; said in the log once."""
        open_now = self._guided_open()
        if open_now and not self._said_guided:
            log.info("the welcome waits for the guided window to close")
        self._said_guided = open_now
        return open_now

    def _on_calm_arrived(self) -> None:
        window = self._welcome_window()
        window.open_calmly()
        mark_welcomed(self._data_dir, self._run.clock.now())
        log.info("welcome shown")

    # ------------------------------------------------------------------ windows
    def info(self) -> WelcomeInfo:
        from stretchbreak.ui.welcome import WelcomeInfo, hours_text, next_break_text, where_text

        now, zone = self._run.clock.now(), self._run.zone
        hours = self._settings().reminders.working_hours
        start = next_work_start(hours, now, zone)
        status = self._coordinator.status()
        tray_area = self._face.tray_area()
        screen = QGuiApplication.primaryScreen() if tray_area is not None else None
        where = where_text(tray_area, screen.geometry() if screen else None)
        return WelcomeInfo(
            next_break_text(status, start, now, zone), hours_text(day_groups(hours)), where
        )

    def _welcome_window(self) -> WelcomeWindow:
        info = self.info()
        if self.window is None:
            from stretchbreak.ui.welcome import WelcomeWindow

            use_app_icon(resources_dir() / "icons")
            self.window = WelcomeWindow(info)
            self.window.try_requested.connect(self._opens.guided)
            self.window.hours_requested.connect(self._on_window_hours_requested)
        else:
            self.window.show_info(info)
        return self.window

    def open_welcome(self) -> None:
        """Asked for from the menu: no waiting, and the window takes the keyboard."""
        if self._calm is not None:
            self._calm.cancel()
        self._welcome_window().open_now()

    def open_about(self) -> None:
        if self.about is None:
            from stretchbreak.ui.about import AboutWindow

            use_app_icon(resources_dir() / "icons")
            readme = resources_dir().parent / "README.md"
            self.about = AboutWindow(
                __version__, self._data_dir, readme if readme.is_file() else None
            )
            self.about.welcome_requested.connect(self.open_welcome)
        self.about.open_now()

    def _on_window_hours_requested(self) -> None:
        self._opens.settings("reminders.working_hours")

    def close(self) -> None:
        if self._calm is not None:
            self._calm.cancel()


class ProblemReport:
    """A settings file with problems, reported at start where people look: a notification,
    the tray tooltip and menu (or the status window), each leading to Settings at the key."""

    def __init__(self, loaded: LoadedSettings, face: Face, opens: Openers) -> None:
        self._loaded = loaded
        self._face = face
        self._opens = opens
        self._notifications: DesktopNotifications | None = None
        self.key: str | None = None
        face.intents.problem_requested.connect(self._on_intents_problem_requested)
        self.report()

    def report(self) -> None:
        loaded = self._loaded
        if loaded.notice is None:
            return
        from stretchbreak.ui.settings_words import file_problem

        count = len(loaded.problems)
        if count:
            summary = tr("The settings file has {problems}").format(
                problems=plural(count, tr("problem"), tr("problems"))
            )
            detail = file_problem(loaded.problems[0])
            self.key = loaded.problems[0].key
        elif loaded.moved_to is not None:
            summary = tr("The settings file was broken and moved aside")
            detail = tr("Default settings are used; the old file is {path}").format(
                path=loaded.moved_to
            )
            self.key = ""
        else:
            summary = tr("The settings file could not be read")
            detail = loaded.notice
            self.key = ""
        log.info("settings problem reported in the app: %s", summary)
        self._show(summary, detail)

    def fill(self, dialog: SettingsDialog, notices: list[str]) -> None:
        """The dialog lists the file's problems in its own words, and any other notice."""
        loaded = self._loaded
        others = [n for n in notices if n != loaded.notice or not loaded.problems]
        dialog.show_file_problems(loaded.problems, "\n\n".join(others))

    def saved(self, notices: list[str]) -> None:
        """The file now holds what the dialog showed: its problems from the start are gone."""
        notice = self._loaded.notice
        if notice is None:
            return
        if notice in notices:
            notices.remove(notice)
        self._loaded = LoadedSettings(self._loaded.settings)
        self.key = None
        self._show(None, "")

    def _show(self, summary: str | None, detail: str) -> None:
        notified = summary is not None and self._notify(summary, detail)
        if summary is None and self._notifications is not None:
            self._notifications.close()
        self._face.show_problem(summary, detail, balloon=not notified)

    def _notify(self, summary: str, detail: str) -> bool:
        """A desktop notification whose click (its default action) or "Open Settings"
        button opens Settings at the problem; False where no notification server took it,
        and the tray's own balloon says it instead."""
        if self._notifications is None:
            from stretchbreak.infra.notifications import DesktopNotifications

            self._notifications = DesktopNotifications()
            self._notifications.action_invoked.connect(self._on_notifications_action_invoked)
        label = tr("Open Settings")
        return self._notifications.show(summary, detail, [("default", label), ("open", label)])

    def _on_notifications_action_invoked(self, _key: str) -> None:
        self._opens.settings(self.key or "")

    def _on_intents_problem_requested(self) -> None:
        self._opens.settings(self.key or "")
