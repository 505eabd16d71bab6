# shellcheck shell=bash disable=SC2034,SC2154
# 7. PostgreSQL 15 on the same CSV: its columns as text, `number` the primary
# key, a pg_trgm index on holder_name; the point select and the name search
# with pgbench at the same 64 clients over TCP (the point select also over its
# unix socket, and a core each when there are two), with the CPU of the
# server and of pgbench. Last, with the registry stopped.
#
# Sourced by tools/benchmark.sh (see lib.sh).

# pg_run COMMAND...: as the postgres user when root (initdb refuses root).
if [[ $(id -u) -eq 0 ]]; then
  pg_dir=$(mktemp -d /tmp/certreg-bench-pg.XXXXXX)
  chown postgres: "$pg_dir"
  pg_run() { runuser -u postgres -- "$@"; }
else
  pg_dir=$work/pg
  mkdir -p "$pg_dir"
  pg_run() { "$@"; }
fi
pg_ctl_run() { pg_run "$pg_bin/pg_ctl" -D "$pg_dir/data" -w "$@"; }
# pg_stop: what cleanup (lib.sh) calls while PostgreSQL runs.
pg_stop() { pg_ctl_run stop -m fast; }
psql_run() { psql -X -q -v ON_ERROR_STOP=1 -h "$pg_dir" -p "$pg_port" -U postgres "$@"; }

# pg_load: a fresh server with the CSV in table certificates, and
# bench_numbers(i, number) for the point select to pick a number by index.
pg_load() {
  log "PostgreSQL 15 in $pg_dir"
  pg_run "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 \
    --locale=C.UTF-8 >"$work/pg-initdb.log" 2>&1
  pg_ctl_run -l "$pg_dir/server.log" \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=$((clients + 20)) -c shared_buffers=256MB" \
    start >/dev/null
  pg_running=1
  local columns column_defs
  columns=$(head -1 "$csv" | tr -d '\r' | sed 's/^\xEF\xBB\xBF//')
  column_defs=$(echo "$columns" | tr ',' '\n' | sed 's/.*/"&" text/' | paste -sd, -)
  psql_run <<EOF
CREATE EXTENSION pg_trgm;
CREATE TABLE certificates ($column_defs);
EOF
  psql_run -c "COPY certificates FROM STDIN WITH (FORMAT csv, HEADER true)" <"$csv"
  psql_run <<'EOF'
ALTER TABLE certificates ADD PRIMARY KEY (number);
CREATE INDEX certificates_holder_trgm ON certificates USING gin (holder_name gin_trgm_ops);
-- pgbench cannot derive a number from a row index (it depends on random
-- choices of the generator), so a side table maps i -> number.
CREATE TABLE bench_numbers AS
  SELECT (row_number() OVER () - 1)::int AS i, number FROM certificates;
ALTER TABLE bench_numbers ADD PRIMARY KEY (i);
ANALYZE;
EOF
}

# pg_scripts: pgbench's scripts: $work/pg_get.sql, and search_args naming
# one file per query (the loadgen's built-in ones, equally weighted).
pg_scripts() {
  local rows
  rows=$(psql_run -tA -c "SELECT count(*) FROM certificates")
  fig pg_rows "$rows"
  fig pg_bytes_per_cert "$(($(psql_run -tA -c "SELECT pg_database_size(current_database())") / rows))"
  cat >"$work/pg_get.sql" <<EOF
\set i random(0, $((rows - 1)))
SELECT c.* FROM bench_numbers n JOIN certificates c ON c.number = n.number WHERE n.i = :i;
EOF
  search_args=()
  local qi=0 q
  for q in 青岛 海岳 电器 科技有限 环保 物业 软件 机械制造 杭州 深圳 上海 北京 广州 苏州 \
    成都 武汉 南京 天津 重庆 西安 华信 中衡 云帆 绿源 金城 长江 智联 建设 工程 服务 \
    物流 食品 医疗 信息技术 电子 化工 汽车 能源 新材料 设备 检测 咨询 股份 集团 有限公司 \
    贸易 制药 纺织 建材; do
    printf "SELECT * FROM certificates WHERE holder_name LIKE '%%%s%%' LIMIT 20;\n" "$q" >"$work/pg_search_$qi.sql"
    search_args+=(-f "$work/pg_search_$qi.sql@1")
    qi=$((qi + 1))
  done
}

# pg_cpu: "SECONDS BACKENDS": the CPU of PostgreSQL's postmaster, its live
# children and the children it has reaped (each connection's backend exits
# with its client), and how many children are alive.
pg_cpu() { figures_py postgres-cpu "$(head -1 "$pg_dir/data/postmaster.pid")"; }

# pgbench_run NAME HOST ARGS...: HOST 127.0.0.1 (TCP, as certreg is measured)
# or the socket directory. Also counts PostgreSQL's and pgbench's CPU.
pgbench_run() {
  local name=$1 host=$2
  shift 2
  log "pgbench $name"
  local pg0 pg1 pgbench0 pgbench1 _
  pg0=$(pg_cpu)
  children_cpu pgbench0
  "${client_pin[@]}" pgbench -n -h "$host" -p "$pg_port" -U postgres -M prepared -c "$clients" -j 2 \
    -T "$(calc "max(1, round(float('$duration')))")" \
    --log --log-prefix="$work/results/pglog_$name" "$@" postgres >"$work/results/pgbench_$name.txt" 2>&1 ||
    { log "pgbench $name failed"; tail "$work/results/pgbench_$name.txt" >&2; exit 1; }
  children_cpu pgbench1
  fig "pgbench_${name}_cpu_s" "$(calc "round($pgbench1 - $pgbench0, 3)")"
  # The backends exit after their clients: wait until they have been reaped.
  for _ in $(seq 1 250); do
    pg1=$(pg_cpu)
    [[ ${pg1#* } -le ${pg0#* } ]] && break
    sleep 0.02
  done
  fig "pg_${name}_cpu_s" "$(calc "round(${pg1% *} - ${pg0% *}, 3)")"
  figures_py pgbench "$name" "$work/results/pgbench_$name.txt" \
    "$work/results/pglog_$name" >>"$figures"
}

# pg_pin CPUS: the postmaster and its children on CPUS (the backends it forks
# for new connections inherit it).
pg_pin() {
  local postmaster child
  postmaster=$(head -1 "$pg_dir/data/postmaster.pid")
  taskset -p -c "$1" "$postmaster" >/dev/null
  for child in $(pgrep -P "$postmaster"); do
    taskset -p -c "$1" "$child" >/dev/null 2>&1 || true
  done
}

pg_load
pg_scripts
pgbench_run get 127.0.0.1 -f "$work/pg_get.sql"
pgbench_run search 127.0.0.1 "${search_args[@]}"
pgbench_run get_unix "$pg_dir" -f "$work/pg_get.sql"
if [[ -n $client_cpu ]]; then
  pg_pin "$server_cpu"
  client_pin=(taskset -c "$client_cpu")
  pgbench_run get_split 127.0.0.1 -f "$work/pg_get.sql"
  client_pin=()
  pg_pin "$cpu_list"
fi
pg_stop >/dev/null
pg_running=0
