#!/usr/bin/env bash
# Run the monthly pack and mail it, acting on salesnb's exit codes:
#   0 ok · 1 a notebook failed (retry) · 2 data errors, 3 parameter errors (alert someone)
#   4 --fail-on alerts reached (page the on-call leader; the pack was published and mailed)
# Used by the cron and systemd examples. Notification commands are yours to plug in:
#   SALESNB_ALERT_CMD  e.g. 'curl -fsS -d @- https://chat.example.com/hooks/revops'   (stdin: the message)
#   SALESNB_PAGE_CMD   e.g. 'curl -fsS -d @- https://events.pagerduty.example/v2/enqueue'
# Credentials (database, SMTP) come from the environment, never from this file.
set -u
cd "${SALESNB_HOME:-/srv/salesnb}" || exit 3
SALESNB="${SALESNB_BIN:-salesnb}"
TRIES="${SALESNB_TRIES:-3}"
WAIT="${SALESNB_RETRY_WAIT:-600}"

notify() {  # notify alert|page MESSAGE
  local cmd
  if [ "$1" = page ]; then cmd="${SALESNB_PAGE_CMD:-}"; else cmd="${SALESNB_ALERT_CMD:-}"; fi
  echo "salesnb [$1] $2" >&2
  if [ -n "$cmd" ]; then printf '%s\n' "$2" | sh -c "$cmd" || echo "salesnb: notify $1 failed" >&2; fi
}

try=1
while :; do
  "$SALESNB" run --month auto --send --fail-on critical --scorecards
  code=$?
  case "$code" in
    0) exit 0 ;;
    1) if [ "$try" -lt "$TRIES" ]; then
         echo "salesnb: a notebook failed (attempt $try of $TRIES); retrying in ${WAIT}s" >&2
         try=$((try + 1)); sleep "$WAIT"; continue
       fi
       notify alert "monthly pack: a notebook still fails after $TRIES attempts (see reports/<month>-failed/)"
       exit 1 ;;
    2) notify alert "monthly pack: data errors, nothing was run (salesnb validate shows them)"; exit 2 ;;
    3) notify alert "monthly pack: parameter errors, nothing was run"; exit 3 ;;
    4) notify page "monthly pack: critical risk alerts this month (published and mailed; see 05_risk_monitoring)"
       exit 4 ;;
    *) notify alert "monthly pack: stopped with exit code $code"; exit "$code" ;;
  esac
done
