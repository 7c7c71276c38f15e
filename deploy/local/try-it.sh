#!/usr/bin/env bash
# Runs the walkthrough (docs/walkthrough.md, linked from the README's "Try it") as written and checks that each step
# prints what the walkthrough says it prints.
#
# The steps are taken from docs/walkthrough.md itself, between <!-- try-it:begin --> and <!-- try-it:end -->:
#   - every ```bash block there is one step, run in order in this one shell (so a variable set by one step, such as
#     $ETAG or $SUB, is there for the next); its first line, when a "# comment", names the step;
#   - the ```text block right after it (if any) is what the step must print: each of its lines must appear in the
#     step's output, in that order (other lines may come between). "…" in an expected line stands for any text, a
#     line that is only "…" for lines left out;
#   - <!-- try-it: retry=N --> just before a block reruns it, once a second, up to N times, until its output matches
#     (for what arrives asynchronously: a summary that moves, a webhook, an e-mail).
# A step fails when it exits non-zero or its output does not match. Blocks outside the markers are not run.
#
# Usage: deploy/local/try-it.sh            starts deploy/local/run.sh (fresh state, embedded PostgreSQL) and stops it
#        TRY_IT_USE_RUNNING=1 deploy/local/try-it.sh   uses services already running on 8081-8083 (started fresh)
# TRIALWATCH_SKIP_BUILD=1 is passed on to run.sh (CI runs this after ./mvnw verify has built the jars).
# Needs curl, jq and python3, as the walkthrough does. Ends with "try-it: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WALKTHROUGH="$ROOT/docs/walkthrough.md"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/try-it.XXXXXX")

for tool in curl jq python3; do
  command -v "$tool" > /dev/null || { echo "try-it: needs $tool"; exit 2; }
done

# --- the steps, from the walkthrough ----------------------------------------------------------------------------------
python3 - "$WALKTHROUGH" "$WORK" <<'PY' || { echo "try-it: could not read the walkthrough from docs/walkthrough.md"; exit 2; }
import os, re, sys
walkthrough, work = sys.argv[1], sys.argv[2]
lines = open(walkthrough, encoding="utf-8").read().split("\n")
try:
    begin = lines.index("<!-- try-it:begin -->")
    end = lines.index("<!-- try-it:end -->")
except ValueError:
    sys.exit("docs/walkthrough.md has no <!-- try-it:begin --> ... <!-- try-it:end --> region")
region = lines[begin + 1:end]
steps, i, retry, last = [], 0, 1, None
while i < len(region):
    line = region[i]
    directive = re.fullmatch(r"<!-- try-it: retry=(\d+) -->", line.strip())
    if directive:
        retry = int(directive.group(1))
    fence = re.fullmatch(r"```(\w*)\s*", line)
    if fence:
        j = i + 1
        while j < len(region) and not region[j].startswith("```"):
            j += 1
        body = region[i + 1:j]
        if fence.group(1) == "bash":
            last = {"code": body, "expect": None, "retry": retry, "line": begin + i + 2}
            steps.append(last)
            retry = 1
        elif fence.group(1) == "text" and last is not None and last["expect"] is None:
            last["expect"] = body
        i = j
    elif line.strip() and not directive and not line.startswith("<!--"):
        last = None  # prose between a command and a text block: that text is not the command's output
    i += 1
for n, s in enumerate(steps, 1):
    first = s["code"][0].strip() if s["code"] else ""
    name = first[1:].strip() if first.startswith("#") else "walkthrough line %d" % s["line"]
    with open(os.path.join(work, "%02d.sh" % n), "w") as f:
        f.write("\n".join(s["code"]) + "\n")
    with open(os.path.join(work, "%02d.meta" % n), "w") as f:
        f.write("%d\t%s\n" % (s["retry"], name))
    if s["expect"] is not None:
        with open(os.path.join(work, "%02d.expect" % n), "w") as f:
            f.write("\n".join(s["expect"]) + "\n")
print("try-it: %d steps in docs/walkthrough.md" % len(steps))
PY

matches() { # expected-file actual-file: every expected line, in order, among the actual lines ("…" = anything)
  python3 - "$1" "$2" <<'PY'
import re, sys
# a line that is only "…" stands for lines left out: the match is in order but not contiguous anyway
expected = [l.strip() for l in open(sys.argv[1], encoding="utf-8") if l.strip() and l.strip() != "…"]
actual = [l.strip() for l in open(sys.argv[2], encoding="utf-8", errors="replace")]
at = 0
for e in expected:
    pattern = re.compile(".*".join(re.escape(part) for part in e.split("…")))
    while at < len(actual) and not pattern.fullmatch(actual[at]):
        at += 1
    if at == len(actual):
        print("    expected, in order, a line like: " + e)
        sys.exit(1)
    at += 1
PY
}

# --- the system under test -------------------------------------------------------------------------------------------
RUN_PID=""
stop_all() {
  local pids
  pids=$(jobs -p)
  [ -n "$pids" ] && kill $pids 2> /dev/null
  [ -n "$RUN_PID" ] && wait "$RUN_PID" 2> /dev/null
  rm -rf "$WORK"
}
trap stop_all EXIT

if [ "${TRY_IT_USE_RUNNING:-}" != "1" ]; then
  if curl -s -o /dev/null "http://127.0.0.1:8081/q/health/live"; then
    echo "try-it: something already answers on 8081; stop it, or set TRY_IT_USE_RUNNING=1 to use it"; exit 2
  fi
  # The walkthrough starts from a fresh system: set aside an earlier .local rather than delete it.
  if [ -d .local ]; then
    mv .local ".local.before-try-it.$(date +%s)"; echo "try-it: moved the earlier .local aside"
  fi
  # The embedded PostgreSQL, so that no database of an earlier run on a shared server is reused.
  RUN_LOG="${TMPDIR:-/tmp}/try-it-run.log"
  echo "try-it: starting deploy/local/run.sh (its output in $RUN_LOG)"
  env -u TRIALWATCH_TEST_JDBC_URL deploy/local/run.sh > "$RUN_LOG" 2>&1 &
  RUN_PID=$!
  for _ in $(seq 1 900); do
    grep -q "Press Ctrl-C to stop" "$RUN_LOG" 2> /dev/null && break
    kill -0 "$RUN_PID" 2> /dev/null || break
    sleep 1
  done
  if ! grep -q "Press Ctrl-C to stop" "$RUN_LOG" 2> /dev/null; then
    echo "try-it: deploy/local/run.sh did not come up:"; tail -30 "$RUN_LOG"; echo "try-it: 0 passed, 1 failed"; exit 1
  fi
  echo "try-it: the system is up"
fi

# --- run them --------------------------------------------------------------------------------------------------------
# Each step runs as a reader's shell would run it: no -u, no pipefail.
set +uo pipefail
passed=0; failed=0; failures=()
for script in "$WORK"/[0-9][0-9].sh; do
  n=$(basename "$script" .sh)
  IFS=$'\t' read -r tries name < "$WORK/$n.meta"
  out="$WORK/$n.out"
  ok=0
  for attempt in $(seq 1 "$tries"); do
    # shellcheck disable=SC1090
    source "$script" > "$out" 2>&1 < /dev/null
    rc=$?
    if [ "$rc" -eq 0 ] && { [ ! -f "$WORK/$n.expect" ] || matches "$WORK/$n.expect" "$out" > "$WORK/$n.why"; }; then
      ok=1; break
    fi
    [ "$attempt" -lt "$tries" ] && sleep 1
  done
  if [ "$ok" = 1 ]; then
    passed=$((passed + 1)); echo "ok   $n $name"
  else
    failed=$((failed + 1)); failures+=("$n $name"); echo "FAIL $n $name"
    [ "$rc" -ne 0 ] && echo "    exited $rc"
    [ -s "$WORK/$n.why" ] && cat "$WORK/$n.why"
    echo "    its output:"; sed 's/^/    | /' "$out" | head -40
  fi
done

echo "try-it: $passed passed, $failed failed"
for f in "${failures[@]}"; do echo "try-it: failed step $f"; done
[ "$failed" -eq 0 ]
