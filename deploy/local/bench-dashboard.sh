#!/usr/bin/env bash
# Page timings and page weights of the dashboard, against a running system (deploy/local/run.sh). Prints figures; it
# asserts nothing. Usage: deploy/local/bench-dashboard.sh [dashboard-url] [requests-per-page]
#   render time = time to the last byte of the HTML (the dashboard calls the services and renders the page)
#   weight      = bytes transferred with gzip for the HTML plus the CSS and scripts it loads (a cold cache)
set -euo pipefail
BASE=${1:-http://localhost:8080}
N=${2:-200}
SUMMARY=${TRIALWATCH_BENCH_SUMMARY:-BTC.any-line.immuno.CTLA-4_PD-1}
PAGES=(/trials /trials/NCT05379985 "/evidence?table=1" /summaries "/summaries/$SUMMARY" /live /signin)
ASSETS=(/static/app.css /static/app.js /webjars/htmx.org/dist/htmx.min.js)

gz_bytes() { curl -s -o /dev/null -H 'Accept-Encoding: gzip' -w '%{size_download}' "$BASE$1"; }

for p in "${PAGES[@]}"; do curl -s -o /dev/null "$BASE$p"; done   # warm-up: JIT, connection pools
assets=0
for a in "${ASSETS[@]}"; do assets=$(( assets + $(gz_bytes "$a") )); done

printf '%-45s %8s %8s %8s %10s %12s\n' page p50_ms p95_ms max_ms html_gzip_B with_assets_B
for p in "${PAGES[@]}"; do
  times=$(for _ in $(seq 1 "$N"); do curl -s -o /dev/null -w '%{time_total}\n' "$BASE$p"; done | sort -n)
  stats=$(awk '{ t[NR] = $1 * 1000 } END { i50 = int(NR * 0.50); if (i50 < 1) i50 = 1; i95 = int(NR * 0.95 + 0.999);
               printf "%.1f %.1f %.1f", t[i50], t[i95], t[NR] }' <<< "$times")
  html=$(gz_bytes "$p")
  read -r p50 p95 max <<< "$stats"
  printf '%-45s %8s %8s %8s %10s %12s\n' "$p" "$p50" "$p95" "$max" "$html" $(( html + assets ))
done
echo "($N sequential requests per page; assets: ${ASSETS[*]}: $assets B gzip)"
