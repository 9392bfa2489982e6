"""Read an application's accessibility tree over at-spi2, as a screen reader does.

Run by the system ``python3`` (pyatspi comes from Debian, not the package index):

    python3 atspi_walk.py tree APP      one JSON line: every showing object of APP's windows
    python3 atspi_walk.py focused APP   one JSON line: the window and control that have the keyboard
    python3 atspi_walk.py listen APP    JSON lines of object:announcement events, "ready" first;
                                        ends when stdin closes
"""

import json
import sys

import pyatspi


def app_named(name):
    desktop = pyatspi.Registry.getDesktop(0)
    for index in range(desktop.childCount):
        app = desktop.getChildAtIndex(index)
        if app is not None and app.name == name:
            return app
    return None


def describe(node, path):
    states = node.getState()
    entry = {
        "path": path,
        "role": node.getRoleName(),
        "name": node.name,
        "description": node.description,
        "focusable": states.contains(pyatspi.STATE_FOCUSABLE),
        "showing": states.contains(pyatspi.STATE_SHOWING),
        "checked": states.contains(pyatspi.STATE_CHECKED),
    }
    try:
        value = node.queryValue()
        entry["value"] = value.currentValue
    except NotImplementedError:
        pass
    return entry


def walk(node, path, out, depth=0):
    if node is None or depth > 40:
        return
    out.append(describe(node, path))
    for index in range(node.childCount):
        child = node.getChildAtIndex(index)
        walk(child, f"{path}/{index}", out, depth + 1)


def tree(name):
    app = app_named(name)
    if app is None:
        print(json.dumps({"error": f"no application named {name!r} on the bus"}), flush=True)
        return
    out: list[dict[str, object]] = []
    walk(app, "", out)
    print(json.dumps({"nodes": out}), flush=True)


def focused(name):
    app = app_named(name)
    found = {"window": None, "role": None, "name": None}
    if app is not None:
        for index in range(app.childCount):
            window = app.getChildAtIndex(index)
            if window is None or not window.getState().contains(pyatspi.STATE_ACTIVE):
                continue
            found["window"] = window.name
            stack = [(window, 0)]
            while stack:
                node, depth = stack.pop()
                if node is None:
                    continue
                if depth and node.getState().contains(pyatspi.STATE_FOCUSED):
                    found["role"], found["name"] = node.getRoleName(), node.name
                    break
                stack.extend((node.getChildAtIndex(i), depth + 1) for i in range(node.childCount))
    print(json.dumps(found), flush=True)


def listen(name):
    from gi.repository import GLib

    def on_event(event):
        try:
            source = event.source.getApplication().name
        except Exception:  # a vanished object
            source = None
        if source == name:
            print(json.dumps({"type": event.type, "text": str(event.any_data)}), flush=True)

    pyatspi.Registry.registerEventListener(on_event, "object:announcement")

    def on_stdin(*_args):
        if not sys.stdin.readline():
            pyatspi.Registry.stop()
            return False
        return True

    GLib.io_add_watch(sys.stdin.fileno(), GLib.IO_IN | GLib.IO_HUP, on_stdin)
    GLib.idle_add(lambda: print(json.dumps({"ready": True}), flush=True) and False)
    pyatspi.Registry.start()


if __name__ == "__main__":
    {"tree": tree, "focused": focused, "listen": listen}[sys.argv[1]](sys.argv[2])
