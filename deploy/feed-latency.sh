#!/usr/bin/env bash
# Measures how long a change takes to reach the dashboard: from a POST /api/jobs to its `created` event on the
# event stream (GET /api/events/stream), the path every live page of the dashboard takes. Against a running manager
# (deploy/start-local.sh): ORCHESTR_URL [http://localhost:8080], ORCHESTR_TOKEN [.run/admin.token]; the jobs it
# creates go to the pool `feed-latency`, where no node runs them, and are cancelled at the end.
# Usage: deploy/feed-latency.sh [samples, default 10]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
url="${ORCHESTR_URL:-http://localhost:8080}"
token="${ORCHESTR_TOKEN:-$(cat "$root/.run/admin.token")}"
samples="${1:-10}"
seen="$(mktemp)"
ids=()
results=()
for _ in $(seq 1 "$samples"); do
    name="feed-latency-$RANDOM$RANDOM"
    : > "$seen"
    (curl -s -N --max-time 10 -H "Authorization: Bearer $token" "$url/api/events/stream" | while read -r line; do
        if [[ "$line" == *"\"$name\""* ]]; then date +%s%3N > "$seen"; break; fi
    done) &
    reader=$!
    sleep 1.5 # the stream is open and past its first tick
    start=$(date +%s%3N)
    ids+=("$(curl -s -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$url/api/jobs" \
        -d "{\"name\":\"$name\",\"pool\":\"feed-latency\"}" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')")
    wait "$reader" || true
    if [ -s "$seen" ]; then results+=($(( $(cat "$seen") - start ))); else results+=(timeout); fi
done
for id in "${ids[@]}"; do curl -s -o /dev/null -X DELETE -H "Authorization: Bearer $token" "$url/api/jobs/$id"; done
rm -f "$seen"
sorted="$(printf '%s\n' "${results[@]}" | grep -v timeout | sort -n)"
count="$(printf '%s\n' "$sorted" | grep -c . || true)"
echo "POST /api/jobs -> its event on the stream, $samples samples (ms): ${results[*]}"
if [ "$count" -gt 0 ]; then
    echo "median $(printf '%s\n' "$sorted" | sed -n "$(( (count + 1) / 2 ))p") ms, max $(printf '%s\n' "$sorted" | tail -1) ms"
fi
