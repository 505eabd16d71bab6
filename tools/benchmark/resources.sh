# shellcheck shell=bash disable=SC2034,SC2154
# 6. Resources: the registry's peak RSS once every load has run, and the time
# to open the database (a clean stop, then a start until health answers).
#
# Sourced by tools/benchmark.sh (see lib.sh), with the registry running;
# leaves it stopped.

fig registry_rss_kib "$(awk '/VmHWM/ {print $2}' "/proc/$registry_pid/status")"
stop_registry
t4=$(now)
start_registry
t5=$(now)
fig open_s "$(elapsed "$t4" "$t5")"
stop_registry
