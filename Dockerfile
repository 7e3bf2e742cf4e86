# One image for every pcmt-graph service; docker-compose.yml picks the service by command.
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production TURBO_TELEMETRY_DISABLED=1 APOLLO_TELEMETRY_DISABLED=1
COPY . .
RUN npm install --no-audit --no-fund && npm cache clean --force
USER node
