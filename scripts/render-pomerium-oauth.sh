#!/bin/sh
# Render pomerium/config.oauth.yaml into the Pomerium config for INTERVALS_CREDENTIALS=oauth.
#
#   scripts/render-pomerium-oauth.sh [ENV_FILE [SECRET_FILE [OUT_FILE]]]
#
# Defaults: .env, secrets/intervals_oauth_client_secret, secrets/pomerium-oauth.yaml. Reads from the
# env file (never executed): MCP_HOST, ALLOWED_EMAILS (the route policy, one entry per address),
# INTERVALS_OAUTH_CLIENT_ID and INTERVALS_OAUTH_SCOPES (default below). The output holds the client
# secret: it is written with mode 600 and in place (same inode, so a running Pomerium sees the change
# through its bind mount). Exit codes: 0 written, 1 a value is missing or malformed, 2 usage.
set -eu

usage() { echo "usage: $0 [ENV_FILE [SECRET_FILE [OUT_FILE]]]" >&2; exit 2; }
[ $# -le 3 ] || usage
case "${1:-}" in -h|--help) usage ;; esac
ENV_FILE=${1:-.env}
SECRET_FILE=${2:-secrets/intervals_oauth_client_secret}
OUT=${3:-secrets/pomerium-oauth.yaml}
HERE=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
TEMPLATE="$HERE/../pomerium/config.oauth.yaml"
DEFAULT_SCOPES=ACTIVITY:WRITE,WELLNESS:WRITE,CALENDAR:WRITE,SETTINGS:WRITE,LIBRARY:READ

fail() { echo "render-pomerium-oauth: $*" >&2; exit 1; }

[ -r "$ENV_FILE" ] || fail "$ENV_FILE cannot be read (copy .env.example to .env first)"
[ -r "$TEMPLATE" ] || fail "$TEMPLATE is missing"

# The last NAME=value line of the env file, without surrounding quotes.
value() {
  sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" "$ENV_FILE" | tail -n 1 | sed -e 's/[[:space:]]*$//' -e "s/^[\"']//" -e "s/[\"']\$//"
}

MCP_HOST=$(value MCP_HOST)
EMAILS=$(value ALLOWED_EMAILS)
CLIENT_ID=$(value INTERVALS_OAUTH_CLIENT_ID)
SCOPES=$(value INTERVALS_OAUTH_SCOPES)
SCOPES=${SCOPES:-$DEFAULT_SCOPES}

# Every value is checked against a strict pattern, so it can go into YAML without quoting issues.
matches() { printf '%s' "$1" | grep -Eq "^($2)\$"; }
matches "$MCP_HOST" '[a-z0-9]([a-z0-9.-]*[a-z0-9])?' || fail "MCP_HOST in $ENV_FILE must be a host name like intervals-mcp.example.com (got '${MCP_HOST}')"
[ -n "$CLIENT_ID" ] || fail "INTERVALS_OAUTH_CLIENT_ID is not set in $ENV_FILE (the client id of your Intervals.icu OAuth app)"
matches "$CLIENT_ID" '[A-Za-z0-9._-]{1,200}' || fail "INTERVALS_OAUTH_CLIENT_ID in $ENV_FILE has unexpected characters"
matches "$SCOPES" '[A-Z]+:(READ|WRITE)(,[A-Z]+:(READ|WRITE))*' || fail "INTERVALS_OAUTH_SCOPES in $ENV_FILE must look like ACTIVITY:WRITE,WELLNESS:READ (comma-separated, no spaces)"
[ -n "$EMAILS" ] || fail "ALLOWED_EMAILS is not set in $ENV_FILE: the route policy needs at least one email"

[ -r "$SECRET_FILE" ] || fail "$SECRET_FILE cannot be read (the client secret of your Intervals.icu OAuth app)"
SECRET=$(cat "$SECRET_FILE")
[ -n "$SECRET" ] || fail "$SECRET_FILE is empty"
# The secret itself is never printed, not even in an error.
matches "$SECRET" '[A-Za-z0-9._~+/=-]{8,512}' || fail "$SECRET_FILE must hold only the client secret (8-512 characters of A-Z a-z 0-9 . _ ~ + / = -, no spaces or newlines inside)"

# The policy: one `- email: {is: ...}` line per address, indented like the template's placeholder.
POLICY=""
OLD_IFS=$IFS
IFS=,
for e in $EMAILS; do
  e=$(printf '%s' "$e" | tr -d '[:space:]')
  [ -n "$e" ] || continue
  matches "$e" '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]+' || { IFS=$OLD_IFS; fail "ALLOWED_EMAILS in $ENV_FILE: '$e' is not an email address"; }
  if [ -z "$POLICY" ]; then POLICY="- email: { is: \"$e\" }"; else POLICY="$POLICY
          - email: { is: \"$e\" }"; fi
done
IFS=$OLD_IFS
[ -n "$POLICY" ] || fail "ALLOWED_EMAILS in $ENV_FILE lists no address"

umask 077
mkdir -p "$(dirname -- "$OUT")"
[ -e "$OUT" ] || : > "$OUT"
chmod 600 "$OUT"
# awk reads the values from the environment (never from its program text), so no escaping games.
MCP_HOST="$MCP_HOST" CLIENT_ID="$CLIENT_ID" SECRET="$SECRET" SCOPES="$SCOPES" POLICY="$POLICY" awk '
  BEGIN { print "# RENDERED by scripts/render-pomerium-oauth.sh from pomerium/config.oauth.yaml: edit those, not this file."; print "# It holds the Intervals.icu OAuth client secret: keep it private (mode 600, under secrets/)." }
  {
    gsub(/\$\{MCP_HOST\}/, ENVIRON["MCP_HOST"])
    gsub(/\$\{INTERVALS_OAUTH_CLIENT_ID\}/, ENVIRON["CLIENT_ID"])
    gsub(/\$\{INTERVALS_OAUTH_SCOPES\}/, ENVIRON["SCOPES"])
    if ($0 ~ /\$\{INTERVALS_OAUTH_CLIENT_SECRET\}/) { sub(/\$\{INTERVALS_OAUTH_CLIENT_SECRET\}/, "\"" ENVIRON["SECRET"] "\"") }
    if ($0 ~ /\$\{POLICY_EMAILS\}/) { sub(/\$\{POLICY_EMAILS\}/, ENVIRON["POLICY"]) }
    print
  }' "$TEMPLATE" > "$OUT.tmp.$$"
# In place: keep the inode a running Pomerium's bind mount points at.
cat "$OUT.tmp.$$" > "$OUT"
rm -f "$OUT.tmp.$$"
echo "render-pomerium-oauth: wrote $OUT for https://$MCP_HOST (client secret inside: keep it private)"
