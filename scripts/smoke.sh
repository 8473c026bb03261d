#!/usr/bin/env bash
# Smoke test of a deployed intervals-mcp: does the connector URL work for Claude, and does it give
# no data without login?
#
#   scripts/smoke.sh https://intervals-mcp.example.com/mcp          # through Pomerium (what Claude uses)
#   scripts/smoke.sh --direct http://127.0.0.1:8000/mcp              # the bare server, no proxy
#
# Through Pomerium (an https URL), the checks are what Claude does when you add the connector:
#   1. POST initialize without a token must answer 401 WITH `WWW-Authenticate: Bearer
#      resource_metadata="…"`. A 302 (sign-in redirect) or a 401 without resource_metadata means the
#      route is not an MCP route (`mcp: server: {}` missing, or `server:` parsed as null).
#   2. The protected-resource metadata document it names must have `resource` = the connector URL.
#   3. The authorization server metadata must have `client_id_metadata_document_supported: true` and
#      "none" in `token_endpoint_auth_methods_supported` (how Claude registers, CIMD).
# --direct, against the server itself (no Pomerium in front):
#   1. GET /healthz must answer 200 (liveness).
#   2. POST initialize without credentials must answer 403 (AUTH_MODE=pomerium refuses requests
#      without a verified X-Pomerium-Jwt-Assertion); never 401, which Pomerium would misread.
# In both modes any 200 carrying data without credentials is a FAIL.
#
# One line per check (`ok`, `FAIL`, `skip`, `info`), then one summary line `smoke: PASS …` or
# `smoke: FAIL …`. Exit 0 = pass, 1 = fail, 2 = usage error. Needs bash and curl only.
# SMOKE_INSECURE=1 skips TLS verification (self-signed or Let's Encrypt staging certificates);
# SMOKE_TIMEOUT sets the per-request timeout in seconds (default 15).
set -euo pipefail

usage() {
  local me
  me=$(basename "$0")
  echo "usage: $me [--direct] URL   e.g. $me https://intervals-mcp.example.com/mcp" >&2
  echo "       $me --direct http://127.0.0.1:8000/mcp   (the server itself, without Pomerium)" >&2
  exit 2
}

direct=0
if [[ ${1:-} == --direct ]]; then
  direct=1
  shift
fi
[[ $# -eq 1 ]] || usage
url=$1
[[ $url =~ ^(https?://[^/?#]+)(/[^?#]*)?$ ]] || usage
origin=${BASH_REMATCH[1]}
path=${BASH_REMATCH[2]:-}
path=${path%/}
[[ -n $path ]] || path=/mcp # a bare origin: the server serves /mcp
url=$origin$path
if ((direct == 0)) && [[ $origin != https://* ]]; then
  echo "smoke: Claude only connects over https; for the bare server use --direct" >&2
  usage
fi

if ! command -v curl >/dev/null 2>&1; then
  echo "smoke: FAIL curl is not installed"
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

curl_opts=(--silent --show-error --max-time "${SMOKE_TIMEOUT:-15}" --proto '=http,https')
if [[ ${SMOKE_INSECURE:-0} == 1 ]]; then curl_opts+=(--insecure); fi

# request NAME METHOD URL [curl args...] -> sets CODE, BODY (file), HEADERS (file), ERR (text)
request() {
  local name=$1 method=$2 target=$3
  shift 3
  BODY=$tmp/$name.body
  HEADERS=$tmp/$name.headers
  : >"$BODY"
  : >"$HEADERS"
  CODE=$(curl "${curl_opts[@]}" -X "$method" -o "$BODY" -D "$HEADERS" -w '%{http_code}' "$@" "$target" 2>"$tmp/$name.err") || true
  [[ $CODE =~ ^[0-9]{3}$ ]] || CODE=000
  ERR=$(tr -d '\r' <"$tmp/$name.err" | head -c 200)
  if [[ $CODE == 000 && $ERR =~ (SSL|certificate) ]]; then
    ERR="$ERR (self-signed or staging certificate? SMOKE_INSECURE=1 skips verification)"
  fi
}

header() { # header NAME FILE -> first value, without CR
  grep -i "^$1:" "$2" | head -n1 | cut -d: -f2- | sed -e 's/^[[:space:]]*//' | tr -d '\r' || true
}
flat() { tr -d '\r\n' <"$1"; }
has_result() { grep -q '"result"' "$1"; }
json_string() { # json_string KEY FILE -> value of "KEY": "value"
  local text re
  text=$(flat "$2")
  re="\"$1\"[[:space:]]*:[[:space:]]*\"([^\"]*)\""
  if [[ $text =~ $re ]]; then printf '%s' "${BASH_REMATCH[1]}"; fi
}
json_true() { # json_true KEY FILE -> success when "KEY": true
  local text re
  text=$(flat "$2")
  re="\"$1\"[[:space:]]*:[[:space:]]*true"
  [[ $text =~ $re ]]
}
json_array() { # json_array KEY FILE -> the text between [ and ]
  local text re
  text=$(flat "$2")
  re="\"$1\"[[:space:]]*:[[:space:]]*\[([^]]*)\]"
  if [[ $text =~ $re ]]; then printf '%s' "${BASH_REMATCH[1]}"; fi
}

passed=0
failed=0
skipped=0
reasons=()
ok() {
  echo "ok   $1"
  passed=$((passed + 1))
}
fail() { # fail LINE REASON
  echo "FAIL $1"
  failed=$((failed + 1))
  reasons+=("$2")
}
skip() {
  echo "skip $1"
  skipped=$((skipped + 1))
}
info() { echo "info $1"; }

summary() {
  local total=$((passed + failed + skipped)) what=$1
  if ((failed == 0 && skipped == 0)); then
    echo "smoke: PASS $passed of $total checks: $what"
    exit 0
  fi
  local joined skips=''
  joined=$(printf '%s; ' "${reasons[@]}")
  ((skipped == 0)) || skips=", $skipped skipped"
  echo "smoke: FAIL $failed of $total checks failed$skips: ${joined%; }"
  exit 1
}

init='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"intervals-mcp-smoke","version":"1.0.0"}}}'
post_init() {
  request post POST "$url" \
    -H 'Content-Type: application/json' \
    -H 'Accept: application/json, text/event-stream' \
    --data "$init"
}

# ---- --direct: the bare server ------------------------------------------------------------------
if ((direct == 1)); then
  echo "smoke: direct mode (no proxy), server $origin"
  request health GET "$origin/healthz"
  case $CODE in
    200) ok "GET /healthz -> 200 (server alive)" ;;
    000) fail "GET /healthz -> no answer: $ERR" "no answer from $origin" ;;
    *) fail "GET /healthz -> $CODE (expected 200)" "/healthz answered $CODE" ;;
  esac

  post_init
  line="POST $path initialize without credentials -> $CODE"
  case $CODE in
    403)
      if has_result "$BODY"; then
        fail "$line, but the body holds a JSON-RPC result" "403 with data"
      elif grep -q -- '-32001' "$BODY"; then
        ok "$line (AUTH_MODE=pomerium refuses requests without a verified assertion)"
      else
        ok "$line (refused)"
      fi
      ;;
    200)
      if has_result "$BODY"; then
        fail "$line with DATA: the server answers without authentication (AUTH_MODE=none); behind Pomerium set AUTH_MODE=pomerium" "data without credentials (AUTH_MODE=none?)"
      else
        fail "$line (expected 403 from AUTH_MODE=pomerium)" "POST answered 200"
      fi
      ;;
    401) fail "$line: the server must never answer 401 (Pomerium would start upstream OAuth and Claude gets 502)" "server answered 401" ;;
    000) fail "POST $path -> no answer: $ERR" "POST got no answer" ;;
    *) fail "$line (expected 403)" "POST answered $CODE" ;;
  esac

  request ready GET "$origin/readyz"
  if [[ $CODE != 404 && $CODE != 000 ]]; then info "GET /readyz -> $CODE (200 = ready to serve; see the server log otherwise)"; fi
  summary "the server is alive and refuses requests without a Pomerium assertion"
fi

# ---- through Pomerium: what Claude does when the connector is added ----------------------------
echo "smoke: connector URL $url"
# shellcheck disable=SC2016 # literal backticks: the YAML to look for, not a command
hint='the route has no `mcp: server: {}` (it parsed as null?)'
post_init
line="POST $path without a token -> $CODE"
metadata_url=''
case $CODE in
  401)
    www=$(header www-authenticate "$HEADERS")
    if [[ $www =~ resource_metadata=\"([^\"]+)\" ]]; then
      metadata_url=${BASH_REMATCH[1]}
      ok "$line with WWW-Authenticate resource_metadata (Pomerium's OAuth challenge)"
    else
      fail "$line without resource_metadata in WWW-Authenticate: $hint" "401 without resource_metadata: $hint"
    fi
    ;;
  302 | 303 | 307)
    loc=$(header location "$HEADERS" | cut -c1-80)
    fail "$line (redirect to ${loc:-?}): Claude needs a 401 challenge, not a login page: $hint" "$CODE redirect: $hint"
    ;;
  200)
    if has_result "$BODY"; then
      fail "$line with DATA: the endpoint hands out data without login; stop and check the route policy" "data without credentials"
    else
      fail "$line without credentials (expected Pomerium's 401)" "POST answered 200 without credentials"
    fi
    ;;
  403)
    if has_result "$BODY"; then
      fail "$line, but the body holds a JSON-RPC result" "403 with data"
    else
      fail "$line: the request reached a server without Pomerium's OAuth challenge (public route, or no MCP route): $hint" "403 instead of the 401 challenge"
    fi
    ;;
  000) fail "POST $path -> no answer: $ERR" "no answer from $origin" ;;
  *) fail "$line (expected Pomerium's 401 challenge)" "POST answered $CODE" ;;
esac

auth_server=''
if [[ -z $metadata_url ]]; then
  skip "protected resource metadata (needs the 401 challenge)"
else
  request prm GET "$metadata_url" -H 'Accept: application/json'
  resource=$(json_string resource "$BODY")
  servers=$(json_array authorization_servers "$BODY")
  [[ $servers =~ \"([^\"]+)\" ]] && auth_server=${BASH_REMATCH[1]}
  line="protected resource metadata $metadata_url -> $CODE"
  if [[ $CODE != 200 ]]; then
    fail "$line${ERR:+: $ERR}" "protected resource metadata answered $CODE"
  elif [[ ${resource%/} != "$url" ]]; then
    fail "$line: resource is '${resource:-missing}', not the connector URL $url (Claude refuses the mismatch; Pomerium >= v0.32.5 includes the path)" "resource != connector URL"
  elif [[ -z $auth_server ]]; then
    fail "$line: no authorization_servers" "no authorization_servers"
  else
    ok "$line: resource = $url"
  fi
fi

if [[ -z $metadata_url ]]; then
  skip "authorization server metadata (needs the protected resource metadata)"
else
  # RFC 8414: the well-known suffix goes between the issuer's host and its path.
  issuer=${auth_server:-$origin}
  if [[ $issuer =~ ^(https?://[^/]+)(.*)$ ]]; then
    as_url=${BASH_REMATCH[1]}/.well-known/oauth-authorization-server${BASH_REMATCH[2]%/}
  else
    as_url=$origin/.well-known/oauth-authorization-server
  fi
  request asm GET "$as_url" -H 'Accept: application/json'
  line="authorization server metadata $as_url -> $CODE"
  methods=$(json_array token_endpoint_auth_methods_supported "$BODY")
  if [[ $CODE != 200 ]]; then
    fail "$line${ERR:+: $ERR}" "authorization server metadata answered $CODE"
  elif ! json_true client_id_metadata_document_supported "$BODY"; then
    fail "$line: client_id_metadata_document_supported is not true (Claude registers with a client metadata document; use Pomerium >= v0.32)" "no CIMD support"
  elif [[ $methods != *'"none"'* ]]; then
    fail "$line: \"none\" missing from token_endpoint_auth_methods_supported (Claude is a public client)" "no \"none\" token auth method"
  else
    ok "$line: client_id_metadata_document_supported, \"none\" accepted"
  fi
fi

request health GET "$origin/healthz"
case $CODE in
  200) info "GET /healthz -> 200 (the server answers directly on this host)" ;;
  000) info "GET /healthz -> no answer" ;;
  *) info "GET /healthz -> $CODE (behind the proxy)" ;;
esac

summary "no data without login, and Claude can start OAuth for $url"
