# syntax=docker/dockerfile:1
#
# intervals-mcp: remote MCP server (Streamable HTTP, POST /mcp) meant to run behind Pomerium.
#
#   docker build -t intervals-mcp .
#   docker run --rm -p 127.0.0.1:8000:8000 -e INTERVALS_API_KEY=... -e AUTH_MODE=none \
#     -e ALLOW_UNAUTHENTICATED=true intervals-mcp        # local test only; see docs/homelab.md
#
# Base image: node:24-bookworm-slim, pinned by the digest of its multi-arch index (linux/amd64 and
# linux/arm64; Node 24.19.0 on Debian 12; published 2026-08-25, recorded in docker-library/repo-info
# repos/node/remote/24-bookworm-slim.md). The tag stays in front of the digest for readers and for
# Dependabot (.github/dependabot.yml), which proposes the new digest when the tag moves. To re-pin by
# hand: `docker buildx imagetools inspect node:24-bookworm-slim` and copy the top-level "Digest".
# Debian (glibc) rather than alpine: the node:24 images exist for amd64 and arm64 only (no 32-bit
# ARM), and every native dependency ships glibc builds.

# ---- build: full install (dev deps for the compiler), compile to dist/ -------------------------
FROM node:24-bookworm-slim@sha256:a9f5f7c91a432850b2a8a7797adf5eadb6c733ceed61167806cee7ea7fbc29df AS build
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json ./
# --ignore-scripts: the `node` devDependency's preinstall script downloads a second Node runtime
# (~120 MB) for npm scripts on machines with an older Node; this image already runs Node 24, and no
# build tool needs an install script (esbuild and Biome resolve their platform packages without one).
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build

# ---- runtime: package.json + dist/ only ---------------------------------------------------------
FROM node:24-bookworm-slim@sha256:a9f5f7c91a432850b2a8a7797adf5eadb6c733ceed61167806cee7ea7fbc29df AS runtime
ARG VERSION=dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="intervals-mcp" \
      org.opencontainers.image.description="Remote MCP server (Streamable HTTP) for Intervals.icu training data, built to run behind Pomerium" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="docker.io/library/node:24-bookworm-slim"
WORKDIR /app
# Memory for compose's 256m limit (the same defaults src/launch.ts applies outside the image, and
# why each): a capped old space, an 8 MiB young generation, two malloc arenas and freed blocks of
# 32 KiB and up returned to the system keep RSS near 148 MiB after 100k calls, flat
# (npm run bench -- --only memory).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    NODE_OPTIONS="--max-old-space-size=96 --max-semi-space-size=8" \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=32768 \
    NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
# `npm run build` bundles every dependency into dist/ (esbuild), so the image needs no node_modules:
# package.json only marks the files as ES modules. (test/deploy-static.test.ts fails if a runtime
# `dependencies` entry appears, which would need `npm ci --omit=dev --ignore-scripts` here.)
COPY package.json ./
COPY --from=build /app/dist ./dist

# Files stay root-owned and read-only for the process; it needs no writable path except /tmp
# (compose runs the container with read_only: true and a tmpfs on /tmp).
USER node
EXPOSE 8000

# Liveness only: /healthz makes no upstream call and needs no identity header. bash's /dev/tcp
# instead of `node -e fetch(…)`: the probe runs inside the container's memory limit, and a second
# Node process costs ~60 MiB RSS where bash costs ~3 MiB (measured with /usr/bin/time -f %M).
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PORT:-8000} && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && read -r -t 4 _ code _ <&3 && [ \"$code\" = 200 ]"]

# Exec form: node runs as PID 1 and receives SIGTERM directly; the server installs its own SIGTERM
# handler and drains in-flight requests (SHUTDOWN_DRAIN_MS, default 8 s; compose gives it 20 s).
# It spawns no child processes, so there are no zombies to reap and tini is not required;
# docker-compose.yml still sets `init: true` as a harmless safety net.
STOPSIGNAL SIGTERM
CMD ["node", "dist/index.js"]
