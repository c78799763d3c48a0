# syntax=docker/dockerfile:1
# k8s-notes-bot image: `docker build -t k8s-notes-bot .`, then `docker run -e SLACK_BOT_TOKEN=... k8s-notes-bot`.
# test/deploy/production-install.test.ts reads this file: it runs the build stage's COPY and RUN lines in a
# clean copy and keeps only what the runtime stage copies, so a change here is tested there.

ARG NODE_IMAGE=node:20-bookworm-slim

# The compiler for better-sqlite3, in a stage of its own so it never reaches the image that runs.
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*

FROM toolchain AS build
WORKDIR /app
# The dependencies first, so a change to the code alone reuses this layer. Only better-sqlite3 has an install
# script; it is built once the rest is in place.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --prefer-offline --no-audit --no-fund && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY app ./app
COPY src ./src
COPY adapters ./adapters
COPY scripts ./scripts
COPY knowledge ./knowledge
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    DATA_DIR=/data \
    OPS_HOST=0.0.0.0 \
    OPS_PORT=9464
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The shipped notes are the default KNOWLEDGE_DIR (/app/knowledge); mount a folder and set KNOWLEDGE_DIR to use yours.
COPY --from=build /app/knowledge ./knowledge
# 1000 is the base image's `node` user; a number, so Kubernetes' runAsNonRoot can check it.
RUN mkdir -p /data && chown 1000:1000 /data
USER 1000:1000
# State (SQLite, the saved index under cache/, the pid file for `reload`) lives here; nothing else is written.
VOLUME ["/data"]
# /healthz, /readyz and /metrics.
EXPOSE 9464
# The slim image has no curl: Node's own fetch asks the ops server whether the process is alive.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.OPS_PORT || 9464) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node itself is PID 1 and gets SIGTERM directly, which the bot answers with a clean shutdown.
CMD ["node", "dist/app/cli.js", "start"]
