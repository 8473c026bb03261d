#!/usr/bin/env bash
# Smoke test of a deployed intervals-mcp: an unauthenticated client must get NO data.
#
#   scripts/smoke.sh https://intervals-mcp.example.com/mcp
#
# Sends an MCP `initialize` POST and a GET to the MCP endpoint without credentials (if URL does
# not end in /mcp, /mcp is appended), and GETs <origin>/healthz for information.
#   PASS: both answered 302 (login redirect), 401 (Pomerium's OAuth challenge) or 403 (the server's
#         own identity check; GET may also be 405), with no JSON-RPC "result" in the body.
#   FAIL: anything else, above all 200 with data (the endpoint is open) or no answer at all.
# Exit 0 = pass, 1 = fail, 2 = usage error. The last line is `smoke: PASS …` or `smoke: FAIL …`.
# Needs only curl. SMOKE_INSECURE=1 skips TLS verification (Let's Encrypt staging certificates);
# SMOKE_TIMEOUT sets the per-request timeout in seconds (default 15).
set -euo pipefail

usage() {
  echo "usage: $(basename "$0") URL   e.g. $(basename "$0") https://intervals-mcp.example.com/mcp" >&2
  exit 2
}

[[ $# -eq 1 ]] || usage
url=$1
[[ $url =~ ^(https?://[^/?#]+) ]] || usage
origin=${BASH_REMATCH[1]}
url=${url%%\?*}
url=${url%/}
[[ $url == */mcp ]] || url=$url/mcp

if ! command -v curl >/dev/null 2>&1; then
  echo "smoke: FAIL curl is not installed"
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

curl_opts=(--silent --show-error --max-time "${SMOKE_TIMEOUT:-15}" --proto '=http,https')
if [[ ${SMOKE_INSECURE:-0} == 1 ]]; then curl_opts+=(--insecure); fi

# request NAME METHOD URL [extra curl args...] -> sets CODE, BODY (file) and HEADERS (file)
request() {
  local name=$1 method=$2 target=$3
  shift 3
  BODY=$tmp/$name.body
  HEADERS=$tmp/$name.headers
  : >"$BODY"
  : >"$HEADERS"
  CODE=$(curl "${curl_opts[@]}" -X "$method" -o "$BODY" -D "$HEADERS" -w '%{http_code}' "$@" "$target" 2>"$tmp/$name.err") || true
  [[ $CODE =~ ^[0-9]{3}$ ]] || CODE=000
}

has_result() { grep -q '"result"' "$1"; }

describe() { # describe CODE HEADERS BODY -> short human explanation
  local code=$1 headers=$2 body=$3
  case $code in
    401)
      if grep -qi '^www-authenticate:.*resource_metadata' "$headers"; then
        echo "Pomerium OAuth challenge"
      else
        echo "unauthorized, no resource_metadata: is mcp.server set on the route?"
      fi
      ;;
    302)
      local loc
      loc=$(grep -i '^location:' "$headers" | head -n1 | tr -d '\r' | cut -d' ' -f2- | cut -c1-80)
      echo "redirect to ${loc:-?}"
      ;;
    403)
      if grep -q -- '-32001' "$body"; then echo "refused by intervals-mcp"; else echo "forbidden"; fi
      ;;
    405) echo "method not allowed" ;;
    000) echo "no HTTP answer" ;;
    200) if has_result "$body"; then echo "DATA RETURNED WITHOUT CREDENTIALS"; else echo "OK"; fi ;;
    *) echo "unexpected" ;;
  esac
}

failures=()

init='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"intervals-mcp-smoke","version":"1.0.0"}}}'
request post POST "$url" \
  -H 'Content-Type: application/json' \
  -H 'Accept: application/json, text/event-stream' \
  --data "$init"
post_code=$CODE
post_note=$(describe "$CODE" "$HEADERS" "$BODY")
[[ $CODE == 000 ]] && post_note="no HTTP answer: $(tr -d '\r' <"$tmp/post.err" | head -c 160)"
echo "POST $url (initialize, no credentials) -> $post_code ($post_note)"
case $post_code in
  302 | 401 | 403)
    if has_result "$BODY"; then failures+=("POST body holds a JSON-RPC result"); fi
    ;;
  000) failures+=("POST got no HTTP answer") ;;
  200) failures+=("POST answered 200 without credentials") ;;
  *) failures+=("POST answered $post_code") ;;
esac

request get GET "$url" -H 'Accept: text/event-stream'
get_code=$CODE
get_note=$(describe "$CODE" "$HEADERS" "$BODY")
[[ $CODE == 000 ]] && get_note="no HTTP answer: $(tr -d '\r' <"$tmp/get.err" | head -c 160)"
echo "GET  $url (no credentials) -> $get_code ($get_note)"
case $get_code in
  302 | 401 | 403 | 405)
    if has_result "$BODY"; then failures+=("GET body holds a JSON-RPC result"); fi
    ;;
  000) failures+=("GET got no HTTP answer") ;;
  200) failures+=("GET answered 200 without credentials") ;;
  *) failures+=("GET answered $get_code") ;;
esac

# Informational: behind Pomerium /healthz is usually 302/401 as well; 200 means the server itself
# answered (a direct connection, or a route that exposes it).
request health GET "$origin/healthz"
health_code=$CODE
case $health_code in
  200) health_note="server reachable" ;;
  302 | 401 | 403) health_note="behind the proxy" ;;
  000) health_note="no answer" ;;
  *) health_note="unexpected" ;;
esac
echo "GET  $origin/healthz -> $health_code ($health_note, informational)"

summary="POST /mcp $post_code, GET /mcp $get_code, /healthz $health_code"
if ((${#failures[@]} == 0)); then
  echo "smoke: PASS $summary: no data without credentials"
  exit 0
fi
reasons=$(IFS=';'; echo "${failures[*]}")
echo "smoke: FAIL $summary: ${reasons//;/; }"
exit 1
