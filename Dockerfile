# syntax=docker/dockerfile:1
#
# intervals-mcp: remote MCP server (Streamable HTTP, POST /mcp) meant to run behind Pomerium.
#
#   docker build -t intervals-mcp .
#   docker run --rm -p 127.0.0.1:8000:8000 -e INTERVALS_API_KEY=... -e AUTH_MODE=none \
#     -e ALLOW_UNAUTHENTICATED=true intervals-mcp        # local test only; see docs/homelab.md
#
# Debian (glibc) rather than alpine: the `node` devDependency installs a glibc Node binary into
# node_modules during `npm ci` in the build stage, which would not run on musl. Pin a digest
# (node:24-bookworm-slim@sha256:...) if you need byte-for-byte reproducible rebuilds.

# ---- build: full install (dev deps for tsc), compile to dist/ ----------------------------------
FROM node:24-bookworm-slim AS build
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies + dist/ only ---------------------------------------------
FROM node:24-bookworm-slim AS runtime
WORKDIR /app
# Heap sized for compose's 256m limit: a capped old space keeps RSS near 180 MiB under load, and
# a larger young generation keeps per-request garbage cheap (npm run bench: ~600 calls/s).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    NODE_OPTIONS="--max-old-space-size=128 --max-semi-space-size=16" \
    NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json ./
# --omit=dev keeps devDependencies out, including the `node` package (a second Node binary) and
# the test tooling; no production dependency needs an install script.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist

# Files stay root-owned and read-only for the process; it needs no writable path except /tmp
# (compose runs the container with read_only: true and a tmpfs on /tmp).
USER node
EXPOSE 8000

# Liveness only: /healthz makes no upstream call and needs no identity header.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# Exec form: node runs as PID 1 and receives SIGTERM directly; the server installs its own SIGTERM
# handler and drains in-flight requests (a PID-1 process gets no default signal handling, which is
# why the handler matters). It spawns no child processes, so there are no zombies to reap and tini
# is not required; docker-compose.yml still sets `init: true` as a harmless safety net.
STOPSIGNAL SIGTERM
CMD ["node", "dist/index.js"]
