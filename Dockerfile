# The mcp-runtime operator image (the same package provides the CLI).
# Build: podman build -t mcp-runtime-operator:dev .   (or docker build)
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
COPY charts-ts ./charts-ts
COPY imports ./imports
COPY crds ./crds
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
# No NODE_OPTIONS: node refuses to start when it holds a V8 flag outside a short list (such as
# the operator's --optimize-for-size), and it would reach every process of the image. The
# operator's node flags are on its Deployment's command line (OPERATOR_NODE_FLAGS in
# charts-ts/server/settings.ts).
WORKDIR /app
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/bin ./bin
COPY --from=build /src/dist ./dist
COPY --from=build /src/crds ./crds
COPY --from=build /src/oclif.manifest.json ./oclif.manifest.json
# The platform's Deployments run the operator and the gateway from their entries
# (node /app/dist/src/{operator,gateway}/main.js) and the catalog as `mcp-runtime catalog serve`: put the CLI on
# PATH (bin/run.js starts with #!/usr/bin/env node).
RUN ln -s /app/bin/run.js /usr/local/bin/mcp-runtime
# Numeric non-root user: Pod Security "restricted" needs runAsNonRoot, which kubelet can only
# verify for numeric users. It has no /etc/passwd entry (nor would a UID a cluster assigns), and
# oclif asks the user database for the login shell when $SHELL is unset: os.userInfo() then
# throws ENOENT and every `mcp-runtime` command (the catalog's pods) exits 1. Name the shell.
ENV SHELL=/bin/sh
USER 65532:65532
EXPOSE 8080 8081
ENTRYPOINT ["node", "/app/bin/run.js"]
CMD ["operator"]
