# The SMC bridge middleware image: `serve`, `worker` and the one-shot `setup` all run from it.
# Build from the repository root: docker build -f docker/middleware.Dockerfile -t smc-bridge .
# No secret is baked in: keys, tokens and passwords come from the environment at run time.
FROM node:20-bookworm-slim

ENV NODE_ENV=production
WORKDIR /app

# Only the middleware, the contract it validates with and the data-quality package it screens with, and
# their runtime dependencies: the stand-ins, the generator and every test tool are development packages,
# left out of the image.
COPY package.json package-lock.json ./
COPY middleware/package.json middleware/package.json
COPY packages/contract/package.json packages/contract/package.json
COPY packages/data-quality/package.json packages/data-quality/package.json
RUN npm ci --omit=dev --workspace middleware --workspace packages/contract --workspace packages/data-quality --include-workspace-root && npm cache clean --force

COPY packages/contract/src packages/contract/src
COPY packages/data-quality/src packages/data-quality/src
COPY middleware/bin middleware/bin
COPY middleware/src middleware/src
COPY mappings mappings
COPY metadata metadata
COPY tsconfig.json ./

USER node
# V8 would otherwise let garbage pile up to a large share of the machine before collecting it; bounded, an API
# or worker process stays near 230 MB resident while a backlog of any size drains (bench/backlog.ts).
ENV NODE_OPTIONS=--max-old-space-size=256
EXPOSE 8080
ENTRYPOINT ["node", "middleware/bin/smc-bridge.js"]
CMD ["serve"]
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 \
  CMD ["node", "middleware/bin/smc-bridge.js", "health", "--http", "http://127.0.0.1:8080"]
