# Shared by the benchmarks in benches/ (sourced, not run): a private X session to run the release
# binaries in, and readings of a process tree from /proc (memory, CPU, threads).
# usage: in a bench, after `cd` to the repository root:
#   source benches/common.sh
#   session [compositor] [tray]    # Xvfb + D-Bus session + openbox, and xcompmgr / trayer if asked
# session sets and exports DISPLAY, XDG_RUNTIME_DIR and HOME (a fresh one in `work`: nothing a bench
# starts writes into the user's home, such as WebKit's data folder), sets `work` (a temporary folder) and
# `display`, and records what it starts in `pids`; the EXIT trap calls the bench's own
# `before_exit` (if defined), then ends those processes and removes `work`.
# SESSION_SCREEN (default 1280x800x24) sets Xvfb's screen.

pids=()
work=$(mktemp -d)
session_exit() {
  if declare -F before_exit >/dev/null; then before_exit || true; fi
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap session_exit EXIT

session() {
  # Xvfb picks a free display itself and writes its number to the descriptor it is given.
  Xvfb -displayfd 9 -screen 0 "${SESSION_SCREEN:-1280x800x24}" -nolisten tcp 9>"$work/display" >/dev/null 2>&1 & pids+=($!)
  for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.1; done
  display=:$(head -1 "$work/display")
  [ "$display" != : ] || { echo "Xvfb did not start" >&2; exit 1; }
  export DISPLAY=$display XDG_RUNTIME_DIR=$work/run HOME=$work/home
  unset XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME XDG_STATE_HOME
  mkdir -p "$XDG_RUNTIME_DIR" "$HOME" && chmod 700 "$XDG_RUNTIME_DIR"
  eval "$(dbus-launch --sh-syntax)"; pids+=("$DBUS_SESSION_BUS_PID")
  openbox >/dev/null 2>&1 & pids+=($!)
  local part
  for part in "$@"; do
    case $part in
      compositor) xcompmgr >/dev/null 2>&1 & pids+=($!) ;;
      tray) trayer --edge top --align right --width 10 >/dev/null 2>&1 & pids+=($!) ;;
    esac
  done
  sleep 1
}

# The process tree under a pid: the pid and all its descendants.
tree() { local p=$1; echo "$p"; for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do tree "$c"; done; }
# Sum of RSS and PSS (kB) and the process count over the given pids.
memory_of() {
  local rss=0 pss=0 n=0 p r s
  for p in "$@"; do
    read -r r s < <(awk '/^Rss:/{r=$2} /^Pss:/{s=$2} END{print r+0, s+0}' /proc/"$p"/smaps_rollup 2>/dev/null || echo "0 0")
    rss=$((rss + r)); pss=$((pss + s)); n=$((n + 1))
  done
  echo "$rss $pss $n"
}
# The same over the tree of $1.
memory() { memory_of $(tree "$1"); }
# CPU ticks (user+system) used by the tree of $1 so far.
ticks() { local t=0; for p in $(tree "$1"); do t=$((t + $(awk '{print $14 + $15}' /proc/"$p"/stat 2>/dev/null || echo 0))); done; echo "$t"; }
# One line per pid: "pid ns", the CPU it used so far in nanoseconds: its threads' exact run time
# (schedstat) plus what its children that exited and were waited for used (cutime + cstime).
cpu_each() {
  local hz p
  hz=$(getconf CLK_TCK)
  for p in "$@"; do
    { cat /proc/"$p"/task/*/schedstat; sed 's/.*) //' /proc/"$p"/stat; } 2>/dev/null |
      awk -v p="$p" -v hz="$hz" 'NF == 3 {t += $1} NF > 3 {t += ($14 + $15) * 1e9 / hz} END {if (NR) printf "%s %.0f\n", p, t}' || true
  done
}
# CPU milliseconds used between two cpu_each readings (files): by the pids of the second, counting
# from the first reading for those already there and from their start for the others.
cpu_ms_between() { awk 'FILENAME == ARGV[1] {a[$1] = $2; next} {t += $2 - a[$1]} END {printf "%.1f", t / 1e6}' "$1" "$2"; }
# Threads over the given pids.
threads_of() { local n=0 p; for p in "$@"; do n=$((n + $(ls /proc/"$p"/task 2>/dev/null | wc -l))); done; echo "$n"; }
