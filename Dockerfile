# Production image: compiled JavaScript, production dependencies only, running as a non-root user.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/var/lib/badges/data \
    KEYS_DIR=/var/lib/badges/keys \
    BADGE_CLASSES_DIR=/app/badge-classes
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY schemas ./schemas
COPY drizzle ./drizzle
COPY drizzle-postgres ./drizzle-postgres
COPY badge-classes ./badge-classes
COPY frameworks ./frameworks
COPY pathways ./pathways
COPY questionnaires ./questionnaires
RUN groupadd --system badges && useradd --system --gid badges --home /var/lib/badges badges \
 && mkdir -p /var/lib/badges/data /var/lib/badges/keys && chown -R badges:badges /var/lib/badges
USER badges
VOLUME ["/var/lib/badges/data", "/var/lib/badges/keys"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Keys must be in KEYS_DIR: create them once with
#   docker run --rm -v badge-keys:/var/lib/badges/keys IMAGE node dist/cli/main.js keys generate
CMD ["node", "dist/main.js"]
