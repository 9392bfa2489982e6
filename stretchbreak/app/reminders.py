"""Wiring of the app's daily life: the tray (or status window), the alarm clock, the prompt.

Part of the composition root (step ``reminders`` of ``compose.INIT_ORDER``): it is given
the face ``launch`` showed, builds the coordinator and the wake watch, and connects them
with the prompt and the second-launch commands. What the tray and the prompt say is
``ui.presenters``'.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMetaObject, Qt
from PySide6.QtWidgets import QApplication

from stretchbreak.core.clock import Clock
from stretchbreak.core.exercise import GOAL_IDS, Exercise
from stretchbreak.core.history import Outcome, Source
from stretchbreak.core.session_values import SessionSummary
from stretchbreak.core.settings import Settings
from stretchbreak.infra.boot_clock import system_boottime
from stretchbreak.infra.busy import BusyProbe, Makers, platform_makers
from stretchbreak.infra.idle import IdleBackend, detect_idle_backend
from stretchbreak.infra.instance import CommandRejected, InstanceServer, pause_length
from stretchbreak.infra.logind import LogindSleep
from stretchbreak.infra.resources import resources_dir
from stretchbreak.services.break_flow import BreakFlow
from stretchbreak.services.coordinator import Alarm, Coordinator, PromptLog
from stretchbreak.services.session_runner import SessionRunner
from stretchbreak.services.wake_watch import WakeWatch
from stretchbreak.ui.app_icon import use_app_icon
from stretchbreak.ui.face import Face
from stretchbreak.ui.presenters import PromptInfo, prompt_info, tray_status
from stretchbreak.ui.text import tr
from stretchbreak.ui.tray import TrayIcon, TrayStatus

if TYPE_CHECKING:
    # Loaded with the first prompt: an idle tray never holds the prompt's code.
    from stretchbreak.infra.notifications import DesktopNotifications
    from stretchbreak.ui.prompt import PromptWindow
    from stretchbreak.ui.settings_defer import SignState
    from stretchbreak.ui.status_window import StatusWindow

log = logging.getLogger(__name__)

#: "Snooze" on a notification: the middle one of the prompt's choices.
NOTIFICATION_SNOOZE_MINUTES = 10


class Reminders:
    """The tray face, the coordinator and the prompt of one run."""

    def __init__(
        self,
        qt: QApplication,
        clock: Clock,
        zone: tzinfo,
        exercise: Exercise,
        settings: Callable[[], Settings],
        flow: BreakFlow,
        runner: SessionRunner,
        store: PromptLog | None,
        state_file: Path,
        speed: float,
        face: Face,
        alarm: Callable[[], Alarm],
        open_history: Callable[[], None],
        open_settings: Callable[[], None],
        detect_idle: Callable[[], IdleBackend | None] | None = detect_idle_backend,
        busy_makers: Callable[[], Makers] | None = platform_makers,
    ) -> None:
        self._qt = qt
        self._clock = clock
        self._exercise = exercise
        self._settings = settings
        self._flow = flow
        self._zone = zone
        self._due = False
        self.intents = face.intents
        # Not isinstance(face, StatusWindow): with a tray, that module is never loaded.
        self.tray: TrayIcon | None = None
        self.status_window: StatusWindow | None = None
        if isinstance(face, TrayIcon):
            self.tray = face
        else:
            self.status_window = face
        # The alarm clock (APScheduler) loads after the face is up, so start-up stays quick.
        self.idle = detect_idle() if detect_idle is not None else None
        log.info("away detection: %s", self.idle.name if self.idle else "unavailable")
        self.busy = BusyProbe(busy_makers()) if busy_makers is not None else None
        self.coordinator = Coordinator(
            clock,
            settings(),
            lambda: self._zone,
            alarm(),
            store,
            state_file,
            self.idle,
            speed,
            # Busy signals (in a call, presenting) are opened only when a break falls due.
            busy=self.busy,
        )
        self.wake_watch = WakeWatch(clock, boottime=system_boottime(), sleep=LogindSleep())
        self.prompt: PromptWindow | None = None
        self.notifications: DesktopNotifications | None = None
        self._connect(runner, open_history, open_settings)
        face.bind(self.tray_status, self.goals)
        self.coordinator.plan()
        self.wake_watch.start()

    def _connect(
        self,
        runner: SessionRunner,
        open_history: Callable[[], None],
        open_settings: Callable[[], None],
    ) -> None:
        coordinator, intents = self.coordinator, self.intents
        coordinator.status_changed.connect(self.refresh)
        coordinator.heads_up.connect(self._on_coordinator_heads_up)
        coordinator.prompt_requested.connect(self._on_coordinator_prompt_requested)
        coordinator.prompt_withdrawn.connect(self._on_coordinator_prompt_withdrawn)
        coordinator.deferral_gave_up.connect(self._on_coordinator_deferral_gave_up)
        self.wake_watch.woke.connect(coordinator.woke)
        self.wake_watch.clock_jumped.connect(coordinator.clock_jumped)
        runner.session_started.connect(lambda _: coordinator.break_started())
        runner.session_ended.connect(self._on_runner_session_ended)
        intents.break_requested.connect(lambda goal: self._flow.open(goal, Source.MANUAL))
        intents.pause_requested.connect(coordinator.pause)
        intents.resume_requested.connect(coordinator.resume)
        intents.history_requested.connect(open_history)
        intents.settings_requested.connect(open_settings)
        intents.quit_requested.connect(self._qt.quit)

    # ------------------------------------------------------------------ faces
    def goals(self) -> Sequence[tuple[str, str]]:
        """(id, name) of each goal, the default goal first."""
        default = self._settings().breaks.goal
        goals = sorted(self._exercise.goals, key=lambda g: g.id != default)
        return [(g.id, g.name) for g in goals]

    def tray_status(self) -> TrayStatus:
        return tray_status(
            self.coordinator.status(),
            self._clock.now(),
            self._zone,
            self.coordinator.deferred_by,
            self._due,
        )

    def refresh(self) -> None:
        if self.tray is not None:
            self.tray.refresh()
        if self.status_window is not None:
            self.status_window.refresh()

    def busy_states(self) -> list[SignState]:
        """What each busy signal can see here, for the settings (opens and closes them)."""
        if self.busy is None:
            return []
        from stretchbreak.ui.settings_defer import SignState

        states = [SignState(s.reason.value, s.source, s.problem) for s in self.busy.states()]
        if not self.coordinator.deferred_by:
            self.busy.release()  # nothing waits: keep no connection open
        return states

    # ------------------------------------------------------------------ prompt
    def prompt_info(self) -> PromptInfo:
        settings = self._settings()
        target = self._flow.suggest(settings.breaks.goal).target
        return prompt_info(self._exercise, settings, target)

    def _on_coordinator_heads_up(self, due: object) -> None:
        log.info("heads-up: a break is due at %s", due)
        self._due = True
        self.refresh()

    def _on_coordinator_prompt_requested(self) -> None:
        self._due = True
        if self.prompt is None:
            from stretchbreak.ui.prompt import PromptWindow

            use_app_icon(resources_dir() / "icons")
            self.prompt = PromptWindow()
            self.prompt.start_requested.connect(self._on_prompt_start_requested)
            self.prompt.snooze_requested.connect(self.coordinator.snooze)
            self.prompt.skip_requested.connect(self.coordinator.skip)
        info = self.prompt_info()
        self.prompt.show_prompt(info)
        log.info("prompt shown: %s, %s", info.goal_name, info.target)
        if self._settings().system.notifications:
            self._notify(info)
        self.refresh()

    def _notify(self, info: PromptInfo) -> None:
        """The desktop notification, with Start / Snooze / Skip where the server has actions:
        the keyboard user's way to answer a prompt that never takes the keyboard."""
        title, body = tr("Time for a back stretch"), f"{info.goal_name} · {info.target}"
        if self.notifications is None:
            from stretchbreak.infra.notifications import DesktopNotifications

            self.notifications = DesktopNotifications()
            self.notifications.action_invoked.connect(self._on_notifications_action_invoked)
        actions = [
            ("default", tr("Start")),
            ("start", tr("Start")),
            ("snooze", tr("Snooze {n} min").format(n=NOTIFICATION_SNOOZE_MINUTES)),
            ("skip", tr("Skip")),
        ]
        if not self.notifications.show(title, body, actions) and self.tray is not None:
            self.tray.notify(title, body)

    def _on_notifications_action_invoked(self, key: str) -> None:
        if key in ("default", "start"):
            self._on_prompt_start_requested()
        elif key == "snooze":
            self.coordinator.snooze(NOTIFICATION_SNOOZE_MINUTES)
        elif key == "skip":
            self.coordinator.skip()

    def _on_coordinator_prompt_withdrawn(self) -> None:
        self._due = False
        if self.prompt is not None:
            self.prompt.hide()
        if self.notifications is not None:
            self.notifications.close()
        self.refresh()

    def _on_coordinator_deferral_gave_up(self) -> None:
        """A call outlasted the limit: one quiet word, never a prompt on top of the call."""
        log.info("a break waited for a call longer than the limit; told quietly")
        if self.tray is not None and self._settings().system.notifications:
            self.tray.notify(
                tr("You've been in a call a long time"),
                tr("A break was waiting for it. Stretch when you can."),
                quiet=True,
            )
        self.refresh()

    def _on_prompt_start_requested(self) -> None:
        self.coordinator.start_from_prompt()
        self._flow.open(self._settings().breaks.goal, Source.PROMPT)

    def _on_runner_session_ended(self, summary: SessionSummary) -> None:
        self.coordinator.break_ended(summary.outcome is Outcome.COMPLETED)

    # ------------------------------------------------------------------ commands
    def serve(self, instance: InstanceServer, open_settings: Callable[[], None]) -> None:
        """What a second launch of ``stretchbreak`` may ask of this one."""
        instance.register("show", lambda args: self._show(), takes=())
        instance.register("break", self._on_instance_break, takes=("goal",))
        instance.register("settings", lambda args: open_settings(), takes=())
        instance.register("status", lambda args: self.coordinator.status_dict(), takes=())
        instance.register("pause", self._on_instance_pause, takes=("minutes", "until_tomorrow"))
        instance.register("resume", lambda args: self.coordinator.resume(), takes=())
        instance.register("quit", lambda args: self._quit_soon(), takes=())

    def _quit_soon(self) -> None:
        """Quit once the answer is on its way: quitting now would close the channel first."""
        QMetaObject.invokeMethod(self._qt, "quit", Qt.ConnectionType.QueuedConnection)

    def _show(self) -> None:
        if self.status_window is not None:
            self.status_window.showNormal()
            self.status_window.raise_()

    def _on_instance_break(self, args: dict[str, object]) -> None:
        goal = args.get("goal")
        if goal is not None and (not isinstance(goal, str) or goal not in GOAL_IDS):
            raise CommandRejected(f"unknown goal {goal!r}; one of {', '.join(GOAL_IDS)}")
        self._flow.open(goal if isinstance(goal, str) else None, Source.MANUAL)

    def _on_instance_pause(self, args: dict[str, object]) -> None:
        self.coordinator.pause(pause_length(args))
