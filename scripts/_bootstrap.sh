# shellcheck shell=bash
# Shared set-up for scripts/run and scripts/test: system packages, interpreter, .venv.
#
# Sourced, not executed. The caller has `set -euo pipefail` and sets SB_ROOT to the
# repository root (the folder holding pyproject.toml).
#
# Everything here is idempotent and quiet when nothing needs doing: it installs what
# is missing and nothing more.

# ------------------------------------------------------------------ package lists
# The one place that names the Debian/Ubuntu packages the project needs.

# What Qt (PySide6 wheels) needs at run time, even with QT_QPA_PLATFORM=offscreen:
# GL, fontconfig + a font, D-Bus, the X11/xcb client libraries, and PulseAudio's
# client library, without which QtMultimedia (QSoundEffect) cannot be imported.
# shellcheck disable=SC2034  # used by scripts/run and scripts/test
SB_RUNTIME_DEBS=(
    libgl1 libegl1 libglib2.0-0 libfontconfig1 libfreetype6 fonts-dejavu-core
    libdbus-1-3 libxkbcommon0 libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0
    libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
    libxcb-shape0 libxcb-xkb1 libpulse0
)

# Only for the test suite: a virtual X server, a session bus, and a sound server
# whose null sink proves that a cue really plays; the validators of the desktop entry and
# the AppStream metainfo; for the desktop group real input (xdotool), an XEmbed tray host
# (trayer), a notification server (dunst; dunstctl history needs busctl, from systemd, named
# here because dunst may be satisfied by another session bus), a window manager (openbox),
# xwininfo/xprop, faketime, the accessibility bus with Debian's pyatspi (at-spi2-core,
# python3-pyatspi) that the accessibility test reads the windows through, and a private
# PipeWire daemon with pw-dump/pw-cli for the camera signal.
# shellcheck disable=SC2034
SB_TEST_DEBS=(
    xvfb xauth dbus pulseaudio pulseaudio-utils desktop-file-utils appstream
    libxss1 xdotool trayer dunst systemd openbox x11-utils faketime
    libreoffice-calc-nogui gcc libc6-dev at-spi2-core python3-pyatspi pipewire pipewire-bin
)

SB_VENV="${SB_ROOT}/.venv"

# ------------------------------------------------------------------ messages

sb_say() { printf '==> %s\n' "$*"; }
sb_warn() { printf 'stretchbreak: %s\n' "$*" >&2; }
sb_die() {
    printf 'stretchbreak: error: %s\n' "$*" >&2
    exit 1
}

# Milliseconds since the epoch, for step timings (bash >= 5 has EPOCHREALTIME).
sb_now_ms() {
    local t="${EPOCHREALTIME:-}"
    if [[ -n "$t" ]]; then
        t="${t//[.,]/}"
        printf '%s\n' "$((10#$t / 1000))"
    else
        printf '%s\n' "$((SECONDS * 1000))"
    fi
}

# "1234" -> "1.23 s"
sb_fmt_ms() {
    local ms="$1"
    printf '%d.%02d s' "$((ms / 1000))" "$((ms % 1000 / 10))"
}

# ------------------------------------------------------------------ system packages

sb_is_debian() {
    command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1
}

sb_is_root() { [[ "$(id -u)" == 0 ]]; }

# Prints the packages among "$@" that dpkg does not list as installed, one per line.
sb_missing_debs() {
    local installed pkg
    # dpkg-query exits 1 when it knows a name not at all: that is "missing" too.
    installed=" $({ dpkg-query -W -f='${db:Status-Status} ${Package}\n' "$@" 2>/dev/null || true; } \
        | awk '$1 == "installed" { printf "%s ", $2 }') "
    for pkg in "$@"; do
        [[ "$installed" == *" $pkg "* ]] || printf '%s\n' "$pkg"
    done
}

# sb_apt_install PKG... : apt-get update + install, as root, without questions.
# apt's output is shown only when it fails; otherwise one line sums it up.
sb_apt_install() {
    local log rc=0
    log="$(mktemp)"
    {
        DEBIAN_FRONTEND=noninteractive apt-get update -qq \
            && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
    } >"$log" 2>&1 </dev/null || rc=$?
    if ((rc != 0)); then
        cat "$log" >&2
    else
        printf '    %s packages set up\n' "$(grep -c '^Setting up ' "$log" || true)"
    fi
    rm -f "$log"
    return "$rc"
}

# sb_ensure_debs MODE PKG...
# Installs the missing packages when root on Debian/Ubuntu. Not root: prints the
# apt-get command to run and goes on. MODE "required" stops when apt-get fails,
# "optional" warns and goes on. Silent when nothing is missing or not on Debian.
sb_ensure_debs() {
    local mode="$1"
    shift
    sb_is_debian || return 0
    local list
    local -a missing=()
    list="$(sb_missing_debs "$@")"
    [[ -n "$list" ]] || return 0
    read -r -d '' -a missing <<<"$list" || true

    if ! sb_is_root; then
        sb_warn "missing system packages: ${missing[*]}"
        sb_warn "install them with:"
        printf '    sudo apt-get install --no-install-recommends %s\n' "${missing[*]}" >&2
        return 0
    fi
    sb_say "apt-get install ${missing[*]}"
    if ! sb_apt_install "${missing[@]}"; then
        [[ "$mode" == required ]] && sb_die "apt-get install failed"
        sb_warn "apt-get install failed; going on without: ${missing[*]}"
    fi
}

# ------------------------------------------------------------------ interpreter

# True when interpreter $1 runs and is Python >= 3.11.
sb_python_ok() {
    "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1
}

sb_python_version() {
    "$1" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null || echo "?"
}

# Prints the interpreter to build .venv with: $PYTHON if set, otherwise the first
# Python >= 3.11 found on PATH. Refuses older ones with a clear message.
sb_find_python() {
    local py
    if [[ -n "${PYTHON:-}" ]]; then
        command -v "$PYTHON" >/dev/null 2>&1 || sb_die "PYTHON=$PYTHON: no such program"
        sb_python_ok "$PYTHON" \
            || sb_die "PYTHON=$PYTHON is Python $(sb_python_version "$PYTHON"); stretchbreak needs Python 3.11 or newer"
        printf '%s\n' "$PYTHON"
        return 0
    fi
    local found=""
    for py in python3 python3.14 python3.13 python3.12 python3.11 python; do
        command -v "$py" >/dev/null 2>&1 || continue
        if sb_python_ok "$py"; then
            printf '%s\n' "$py"
            return 0
        fi
        [[ -n "$found" ]] || found="$py (Python $(sb_python_version "$py"))"
    done
    if [[ -n "$found" ]]; then
        sb_die "stretchbreak needs Python 3.11 or newer, found only $found; install a newer Python or set PYTHON=/path/to/python3.11"
    fi
    sb_die "no Python found; install Python 3.11 or newer or set PYTHON=/path/to/python3"
}

# ------------------------------------------------------------------ virtual environment

sb_venv_python() {
    if [[ -x "$SB_VENV/bin/python" ]]; then
        printf '%s\n' "$SB_VENV/bin/python"
    else
        printf '%s\n' "$SB_VENV/Scripts/python.exe" # Windows (Git Bash)
    fi
}

# Creates .venv with interpreter $1. On Debian, `python3 -m venv` fails until the
# python3-venv package is installed: as root that is done here, once.
sb_create_venv() {
    local py="$1" ver pkg
    sb_say "creating .venv with $py (Python $(sb_python_version "$py"))"
    rm -rf "$SB_VENV"
    if sb_is_debian && ! "$py" -c 'import ensurepip' >/dev/null 2>&1; then
        ver="$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
        # Debian's default Python needs python3-venv; another one (python3.12 on a
        # 3.11 system) has its own pythonX.Y-venv.
        pkg="python$ver-venv"
        if [[ "$(sb_python_version /usr/bin/python3)" == "$ver".* ]]; then
            pkg=python3-venv
        fi
        if ! sb_is_root; then
            sb_warn "'$py -m venv' needs the Debian package $pkg; install it with:"
            printf '    sudo apt-get install --no-install-recommends %s\n' "$pkg" >&2
            exit 1
        fi
        sb_say "apt-get install $pkg ('$py -m venv' needs it)"
        sb_apt_install "$pkg" || sb_die "apt-get install $pkg failed"
    fi
    if ! "$py" -m venv "$SB_VENV"; then
        rm -rf "$SB_VENV"
        sb_die "'$py -m venv $SB_VENV' failed"
    fi
}

# True when .venv exists, runs, and matches $PYTHON's version if PYTHON is set.
sb_venv_usable() {
    local vpy
    vpy="$(sb_venv_python)"
    [[ -x "$vpy" ]] || return 1
    sb_python_ok "$vpy" || return 1
    if [[ -n "${PYTHON:-}" ]]; then
        [[ "$(sb_python_version "$vpy")" == "$(sb_python_version "$PYTHON")" ]] || return 1
    fi
    return 0
}

sb_pyproject_hash() {
    "$(sb_venv_python)" -c '
import hashlib, sys
with open(sys.argv[1], "rb") as f:
    print(hashlib.sha256(f.read()).hexdigest())' "$SB_ROOT/pyproject.toml"
}

# Stamp files in .venv hold the hash of pyproject.toml at the last successful
# install: .stretchbreak-installed (plain) and .stretchbreak-installed-test ([test]).
sb_stamp_file() {
    if [[ -n "$1" ]]; then
        printf '%s\n' "$SB_VENV/.stretchbreak-installed-$1"
    else
        printf '%s\n' "$SB_VENV/.stretchbreak-installed"
    fi
}

sb_stamp_matches() {
    local file="$1" hash="$2"
    [[ -f "$file" ]] && [[ "$(<"$file")" == "$hash" ]]
}

# sb_ensure_venv [EXTRA]
# Makes .venv usable and runs `pip install -e .[EXTRA]` when pyproject.toml changed
# since the last install with that extra. Quiet when nothing changed.
sb_ensure_venv() {
    local extra="${1:-}" py hash spec stamp target vpy
    if ! sb_venv_usable; then
        py="$(sb_find_python)"
        sb_create_venv "$py"
    fi
    vpy="$(sb_venv_python)"
    hash="$(sb_pyproject_hash)"
    stamp="$(sb_stamp_file "$extra")"
    if sb_stamp_matches "$stamp" "$hash"; then
        return 0
    fi
    # The [test] install covers the plain one.
    if [[ -z "$extra" ]] && sb_stamp_matches "$(sb_stamp_file test)" "$hash"; then
        return 0
    fi

    spec="."
    target="$SB_ROOT"
    if [[ -n "$extra" ]]; then
        spec=".[$extra]"
        target="${SB_ROOT}[$extra]"
    fi
    if ! "$vpy" -m pip --version >/dev/null 2>&1; then
        # A venv left half-made (no pip): start over.
        py="$(sb_find_python)"
        sb_create_venv "$py"
        vpy="$(sb_venv_python)"
    fi
    sb_say "pip install -e '$spec' into .venv (pyproject.toml changed since the last install)"
    PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 \
        "$vpy" -m pip install --quiet --progress-bar off -e "$target" \
        || sb_die "pip install -e '$spec' failed"
    printf '%s\n' "$hash" >"$stamp"
}
