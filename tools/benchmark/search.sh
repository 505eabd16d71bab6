# shellcheck shell=bash disable=SC2034,SC2154
# 3. Name search: certreg-loadgen's built-in fragments of company names,
# closed loop, 64 in flight.
#
# Sourced by tools/benchmark.sh (see lib.sh), with the registry running.

loadgen search --mix=search=100 --numbers_file="$csv" --channels=4 --concurrency=16
op_figures search search
fig search_errors "$(result search total.errors)"
