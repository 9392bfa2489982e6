"""Wiring of the app's daily life as people meet it: the face (tray or status window), the
prompt, the desktop notification, and what a second launch may ask.

Part of the composition root (step ``reminders`` of ``compose.INIT_ORDER``): it is given
the face ``launch`` showed and the coordinator ``alarms.py`` built, and connects them with
the prompt and the second-launch commands. What the tray and the prompt say is
``ui.presenters``'.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QMetaObject, Qt
from PySide6.QtWidgets import QApplication

from stretchbreak.app.alarms import AlarmWiring
from stretchbreak.app.context import Openers, RunContext
from stretchbreak.core.exercise import GOAL_IDS
from stretchbreak.core.history import Source
from stretchbreak.infra.instance import CommandRejected, InstanceServer, pause_length
from stretchbreak.infra.resources import resources_dir
from stretchbreak.services.break_flow import BreakFlow
from stretchbreak.ui.app_icon import use_app_icon
from stretchbreak.ui.face import Face
from stretchbreak.ui.presenters import PromptInfo, prompt_info, tray_status
from stretchbreak.ui.text import tr
from stretchbreak.ui.tray import TrayStatus

if TYPE_CHECKING:
    # Loaded with the first prompt: an idle tray never holds the prompt's code.
    from stretchbreak.infra.notifications import DesktopNotifications
    from stretchbreak.ui.prompt import PromptWindow

log = logging.getLogger(__name__)

#: "Snooze" on a notification: the middle one of the prompt's choices.
NOTIFICATION_SNOOZE_MINUTES = 10


class ReminderWiring:
    """The face, the prompt and the notifications of one run, and the commands it serves."""

    def __init__(
        self,
        qt: QApplication,
        run: RunContext,
        alarms: AlarmWiring,
        flow: BreakFlow,
        face: Face,
        openers: Openers,
    ) -> None:
        self._qt = qt
        self._run = run
        self._settings = run.settings
        self._flow = flow
        self._openers = openers
        self._due = False
        self.face = face
        self.coordinator = alarms.coordinator
        self.prompt: PromptWindow | None = None
        self.notifications: DesktopNotifications | None = None
        self._connect()
        face.bind(self.tray_status, self.goals)

    def _connect(self) -> None:
        coordinator, intents, openers = self.coordinator, self.face.intents, self._openers
        coordinator.status_changed.connect(self.face.refresh)
        coordinator.heads_up.connect(self._on_coordinator_heads_up)
        coordinator.prompt_requested.connect(self._on_coordinator_prompt_requested)
        coordinator.prompt_withdrawn.connect(self._on_coordinator_prompt_withdrawn)
        coordinator.deferral_gave_up.connect(self._on_coordinator_deferral_gave_up)
        intents.break_requested.connect(lambda goal: self._flow.open(goal, Source.MANUAL))
        intents.pause_requested.connect(coordinator.pause)
        intents.resume_requested.connect(coordinator.resume)
        intents.history_requested.connect(openers.history)
        intents.settings_requested.connect(lambda: openers.settings(None))
        intents.quit_requested.connect(self._qt.quit)

    # ------------------------------------------------------------------ faces
    def goals(self) -> Sequence[tuple[str, str]]:
        """(id, name) of each goal, the default goal first."""
        default = self._settings().breaks.goal
        goals = sorted(self._run.exercise.goals, key=lambda g: g.id != default)
        return [(g.id, g.name) for g in goals]

    def tray_status(self) -> TrayStatus:
        return tray_status(
            self.coordinator.status(),
            self._run.clock.now(),
            self._run.zone,
            self.coordinator.deferred_by,
            self._due,
        )

    # ------------------------------------------------------------------ prompt
    def prompt_info(self) -> PromptInfo:
        settings = self._settings()
        target = self._flow.suggest(settings.breaks.goal).target
        return prompt_info(self._run.exercise, settings, target)

    def _on_coordinator_heads_up(self, due: object) -> None:
        log.info("heads-up: a break is due at %s", due)
        self._due = True
        self.face.refresh()

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
        self.face.refresh()

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
        if not self.notifications.show(title, body, actions):
            self.face.notify(title, body)

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
        self.face.refresh()

    def _on_coordinator_deferral_gave_up(self) -> None:
        """A call outlasted the limit: one quiet word, never a prompt on top of the call."""
        log.info("a break waited for a call longer than the limit; told quietly")
        if self._settings().system.notifications:
            self.face.notify(
                tr("You've been in a call a long time"),
                tr("A break was waiting for it. Stretch when you can."),
                quiet=True,
            )
        self.face.refresh()

    def _on_prompt_start_requested(self) -> None:
        self.coordinator.start_from_prompt()
        self._flow.open(self._settings().breaks.goal, Source.PROMPT)

    # ------------------------------------------------------------------ commands
    def serve(self, instance: InstanceServer) -> None:
        """What a second launch of ``stretchbreak`` may ask of this one."""
        instance.register("show", lambda args: self.face.bring_forward(), takes=())
        instance.register("break", self._on_instance_break, takes=("goal",))
        instance.register("settings", lambda args: self._openers.settings(None), takes=())
        instance.register("status", lambda args: self.coordinator.status_dict(), takes=())
        instance.register("pause", self._on_instance_pause, takes=("minutes", "until_tomorrow"))
        instance.register("resume", lambda args: self.coordinator.resume(), takes=())
        instance.register("quit", lambda args: self._quit_soon(), takes=())

    def _quit_soon(self) -> None:
        """Quit once the answer is on its way: quitting now would close the channel first."""
        QMetaObject.invokeMethod(self._qt, "quit", Qt.ConnectionType.QueuedConnection)

    def _on_instance_break(self, args: dict[str, object]) -> None:
        goal = args.get("goal")
        if goal is not None and (not isinstance(goal, str) or goal not in GOAL_IDS):
            raise CommandRejected(f"unknown goal {goal!r}; one of {', '.join(GOAL_IDS)}")
        self._flow.open(goal if isinstance(goal, str) else None, Source.MANUAL)

    def _on_instance_pause(self, args: dict[str, object]) -> None:
        self.coordinator.pause(pause_length(args))
