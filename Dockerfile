# One image for every pcmt-graph service; docker-compose.yml picks the service by its command.
# The services run TypeScript through @swc-node/register (a devDependency, with @swc/core's native
# binary), so the install keeps devDependencies; NODE_ENV=production is for runtime only.
FROM node:24-bookworm-slim
WORKDIR /app
ENV TURBO_TELEMETRY_DISABLED=1 APOLLO_TELEMETRY_DISABLED=1 NO_UPDATE_NOTIFIER=1
# Manifests first: the dependency layer is rebuilt only when they change.
COPY package.json package-lock.json .npmrc ./
COPY gateway/package.json gateway/
COPY subgraphs/kit/package.json subgraphs/kit/
COPY subgraphs/program/package.json subgraphs/program/
COPY subgraphs/police/package.json subgraphs/police/
COPY subgraphs/health/package.json subgraphs/health/
COPY subgraphs/education/package.json subgraphs/education/
COPY subgraphs/customs/package.json subgraphs/customs/
COPY subgraphs/legal-aid/package.json subgraphs/legal-aid/
COPY subgraphs/border-guard/package.json subgraphs/border-guard/
RUN npm ci --include=dev --no-audit --no-fund && npm cache clean --force
COPY . .
# Code and dependencies stay root-owned (read-only to the services); only data/ is theirs.
RUN mkdir -p /app/data && chown node:node /app/data
ENV NODE_ENV=production
USER node
# SQLite files, the audit log and registry when no PostgreSQL is configured.
VOLUME ["/app/data"]
EXPOSE 4000
