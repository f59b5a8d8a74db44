import { describe, expect, it } from '@jest/globals';
import { renderPlatform } from '../../../charts-ts/platform/index.js';
import { prefixRule } from '../../../charts-ts/server/gateway-route.js';
import { defaultOperatorSettings, operatorSettingsProblems, parseGatewayService, renderServer, resolveServer, type OperatorSettings } from '../../../charts-ts/server/index.js';
import { computeStatus, type StatusInput } from '../../../src/operator/status.js';
import { j, mcpServer, one } from './fixtures.js';

const gateway = { namespace: 'mcp-gateway', name: 'mcp-gateway', port: 80 };
const withGateway: OperatorSettings = { ...defaultOperatorSettings({ MCP_DEFAULT_INGRESS_HOST: 'mcp.example.com' }), gateway };

describe('a server routed through the gateway', () => {
  it('gets an IngressRoute to the gateway Service and a Middleware naming it, after the path rewrite', () => {
    const objects = renderServer(mcpServer('weather'), withGateway);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'NetworkPolicy/weather',
      'Deployment/weather',
      'Service/weather',
      'Middleware/weather-path-rewrite',
      'Middleware/weather-gateway',
      'IngressRoute/weather',
    ]);
    const route = j(one(objects, 'IngressRoute'));
    expect(route.spec).toEqual({
      entryPoints: ['web'],
      routes: [
        {
          kind: 'Rule',
          match: 'Host(`mcp.example.com`) && (Path(`/weather/mcp`) || PathPrefix(`/weather/mcp/`))',
          middlewares: [{ name: 'weather-path-rewrite' }, { name: 'weather-gateway' }],
          services: [{ name: 'mcp-gateway', namespace: 'mcp-gateway', port: 80 }],
        },
      ],
    });
    const header = j(objects.find((o) => o.metadata.name === 'weather-gateway'));
    expect(header.spec).toEqual({ headers: { customRequestHeaders: { 'X-Mcp-Runtime-Server': 'mcp-servers/weather' } } });
    expect(resolveServer(mcpServer('weather'), withGateway).warnings).toEqual([]);
  });

  it('opts out with spec.gateway.enabled: false, and keeps its Ingress', () => {
    const kinds = renderServer(mcpServer('weather', { gateway: { enabled: false } }), withGateway).map((o) => o.kind);
    expect(kinds).toContain('Ingress');
    expect(kinds).not.toContain('IngressRoute');
  });

  it('warns when asked for a gateway that is not installed, or that cannot route its ingress class', () => {
    const none = resolveServer(mcpServer('a', { gateway: { enabled: true } }), defaultOperatorSettings({}));
    expect(none.route.kind).toBe('ingress');
    expect(none.warnings.join()).toMatch(/^GatewayNotInstalled: /);
    const nginx = resolveServer(mcpServer('a', { gateway: { enabled: true }, ingressClass: 'nginx' }), withGateway);
    expect(nginx.route.kind).toBe('ingress');
    expect(nginx.warnings.join()).toContain('GatewayNeedsTraefik');
    // Not asked for explicitly: another class silently keeps its Ingress.
    expect(resolveServer(mcpServer('a', { ingressClass: 'nginx' }), withGateway).warnings.join()).not.toContain('Gateway');
    const annotated = resolveServer(mcpServer('a', { ingressAnnotations: { x: 'y' } }), withGateway);
    expect(annotated.route.kind).toBe('gateway');
    expect(annotated.warnings.join()).toContain('IngressAnnotationsUnused');
  });

  it('routes a protected server\'s RFC 9728 metadata path to the gateway, unrewritten, and warns where auth cannot hold', () => {
    const auth = { issuer: 'https://id.example.com' };
    const route = j(one(renderServer(mcpServer('weather', { auth }), withGateway), 'IngressRoute'));
    expect((route.spec as { routes: unknown[] }).routes[1]).toEqual({
      kind: 'Rule',
      match: 'Host(`mcp.example.com`) && Path(`/.well-known/oauth-protected-resource/weather/mcp`)',
      middlewares: [{ name: 'weather-gateway' }],
      services: [{ name: 'mcp-gateway', namespace: 'mcp-gateway', port: 80 }],
    });
    expect(resolveServer(mcpServer('weather', { auth }), withGateway).warnings).toEqual([]);
    // The path the gateway's 401 points to, also for a path with a trailing slash.
    const slashed = j(one(renderServer(mcpServer('weather', { auth, ingressPath: '/weather/mcp/' }), withGateway), 'IngressRoute'));
    expect((slashed.spec as { routes: { match: string }[] }).routes[1]!.match).toContain('Path(`/.well-known/oauth-protected-resource/weather/mcp`)');
    // RFC 9728's root fallback on the host, naming no server: the gateway answers for the host.
    expect((route.spec as { routes: unknown[] }).routes[2]).toEqual({
      kind: 'Rule',
      match: 'Host(`mcp.example.com`) && Path(`/.well-known/oauth-protected-resource`)',
      services: [{ name: 'mcp-gateway', namespace: 'mcp-gateway', port: 80 }],
    });
    const hostless = j(one(renderServer(mcpServer('weather', { auth }), { ...withGateway, defaultIngressHost: undefined }), 'IngressRoute'));
    expect((hostless.spec as { routes: { match: string }[] }).routes[2]!.match).toBe('Path(`/.well-known/oauth-protected-resource`)');
    // Open servers get no metadata routes.
    expect((j(one(renderServer(mcpServer('weather'), withGateway), 'IngressRoute')).spec as { routes: unknown[] }).routes).toHaveLength(1);
    const direct = resolveServer(mcpServer('a', { auth: { issuer: 'http://127.0.0.1:9000' } }), defaultOperatorSettings({}));
    expect(direct.warnings.join()).toContain('AuthNotEnforced');
    expect(direct.warnings.join()).toContain('AuthOverPlainHttp');
    expect(direct.warnings.join()).toContain('AuthAudienceFromRequest');
  });

  it('warns that spec.tools is not enforced without the gateway', () => {
    const direct = resolveServer(mcpServer('a', { tools: { deny: ['rm'] } }), defaultOperatorSettings({}));
    expect(direct.warnings.join()).toContain('ToolPolicyNotEnforced');
    expect(resolveServer(mcpServer('a', { tools: { deny: ['rm'] } }), withGateway).warnings).toEqual([]);
  });

  it('matches a path per element, with a host, a wildcard host or any host', () => {
    expect(prefixRule('/a/mcp/', undefined)).toBe('(Path(`/a/mcp`) || PathPrefix(`/a/mcp/`))');
    expect(prefixRule('/', undefined)).toBe('PathPrefix(`/`)');
    expect(prefixRule('/a', '*.example.com')).toBe('HostRegexp(`^[^.]+\\.example\\.com$`) && (Path(`/a`) || PathPrefix(`/a/`))');
  });

  it('reads MCP_GATEWAY_SERVICE as namespace/name:port and names a malformed one', () => {
    expect(parseGatewayService('mcp-gateway/mcp-gateway:80')).toEqual(gateway);
    expect(defaultOperatorSettings({ MCP_GATEWAY_SERVICE: 'mcp-gateway/mcp-gateway:80' }).gateway).toEqual(gateway);
    for (const bad of ['mcp-gateway', 'a/b', 'a/b:0', 'a/b:70000', 'A/b:80', 'a/b:80/x']) {
      expect(parseGatewayService(bad)).toBeUndefined();
      const problems = operatorSettingsProblems(defaultOperatorSettings({ MCP_GATEWAY_SERVICE: bad }));
      expect(problems).toEqual([expect.objectContaining({ env: 'MCP_GATEWAY_SERVICE', value: bad })]);
    }
  });
});

describe('the platform gateway', () => {
  const all = (options = {}) => renderPlatform(options).flatMap((c) => c.objects);

  it('tells the gateway the public URL when given, and refuses one that is not an origin', () => {
    const env = (options = {}) => j(all(options).find((o) => o.kind === 'Deployment' && o.metadata.name === 'mcp-gateway')).spec.template.spec.containers[0].env as { name: string; value?: string }[];
    expect(env().map((e) => e.name)).not.toContain('GATEWAY_PUBLIC_URL');
    expect(env({ gatewayPublicUrl: 'https://mcp.example.com' })).toContainEqual({ name: 'GATEWAY_PUBLIC_URL', value: 'https://mcp.example.com' });
    for (const bad of ['mcp.example.com', 'ftp://x', 'https://x/path', 'https://u:p@x']) expect(() => all({ gatewayPublicUrl: bad })).toThrow(/--gateway-public-url/);
  });

  it('runs N restricted replicas that read only servers and endpoints, and never renders its key', () => {
    const objects = all();
    const deployment = j(objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'mcp-gateway'));
    expect(deployment.metadata.namespace).toBe('mcp-gateway');
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.strategy.rollingUpdate).toEqual({ maxUnavailable: 0, maxSurge: 1 });
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(pod.containers[0].command).toEqual(['node', '/app/dist/src/gateway/main.js']);
    expect(pod.volumes).toContainEqual({ name: 'session-keys', secret: { secretName: 'mcp-gateway-session-keys', defaultMode: 0o440 } });
    // A replica leaves the Service after 3 failed probes (about 6 s), not after one slow answer.
    expect(pod.containers[0].readinessProbe).toEqual({ httpGet: { path: '/readyz', port: 'admin' }, periodSeconds: 2, timeoutSeconds: 2, failureThreshold: 3 });
    const role = j(objects.find((o) => o.kind === 'ClusterRole' && o.metadata.name === 'mcp-gateway'));
    expect(role.rules).toEqual([
      { apiGroups: ['mcp.agent-hellboy.io'], resources: ['mcpservers'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
    ]);
    expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
    expect(objects.some((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === 'mcp-gateway')).toBe(true);
    // The operator routes through it; Traefik may send a server's route to another namespace.
    const operator = j(objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'mcp-runtime-operator'));
    expect(operator.spec.template.spec.containers[0].env).toContainEqual({ name: 'MCP_GATEWAY_SERVICE', value: 'mcp-gateway/mcp-gateway:80' });
    const traefik = j(objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'traefik'));
    expect(traefik.spec.template.spec.containers[0].args).toContain('--providers.kubernetescrd.allowCrossNamespace=true');
  });

  it('is left out with gateway: false (and without Traefik): no namespace, no env, no cross-namespace routes', () => {
    for (const options of [{ gateway: false }, { ingress: 'none' as const }]) {
      const objects = all(options);
      expect(objects.some((o) => o.metadata.name === 'mcp-gateway')).toBe(false);
      const operator = j(objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'mcp-runtime-operator'));
      expect(JSON.stringify(operator)).not.toContain('MCP_GATEWAY_SERVICE');
      expect(JSON.stringify(objects)).not.toContain('allowCrossNamespace');
    }
  });
});

describe('SessionSafe', () => {
  const base: StatusInput = {
    name: 'notes',
    namespace: 'mcp-servers',
    generation: 1,
    desiredReplicas: 3,
    url: '/notes/mcp',
    image: 'notes:1',
    ingressReadiness: 'strict',
    now: () => new Date('2026-01-01T00:00:00Z'),
  };
  const safe = (sessions: StatusInput['sessions']) => computeStatus({ ...base, sessions }).conditions?.find((c) => c.type === 'SessionSafe');

  it('warns only for a stateful server with several pods and no gateway', () => {
    expect(safe({ stateless: false, replicas: 3, throughGateway: false })).toMatchObject({ status: 'False', reason: 'StatefulWithoutGateway' });
    expect(safe({ stateless: false, replicas: 3, throughGateway: false })?.message).toContain('3 pods');
    expect(safe({ stateless: false, replicas: 3, throughGateway: true })).toMatchObject({ status: 'True', reason: 'GatewayPinsSessions' });
    expect(safe({ stateless: true, replicas: 3, throughGateway: false })).toMatchObject({ status: 'True', reason: 'Stateless' });
    expect(safe({ stateless: false, replicas: 1, throughGateway: false })).toMatchObject({ status: 'True', reason: 'SinglePod' });
    expect(safe(undefined)).toBeUndefined();
  });

  it('routes through the gateway once the IngressRoute exists (Traefik publishes no status on it)', () => {
    const routed = (exists: boolean) => computeStatus({ ...base, service: { spec: { clusterIP: '10.0.0.1' } }, gatewayRoute: { exists, gateway: 'mcp-gateway/mcp-gateway' } }).conditions?.find((c) => c.type === 'Routed');
    expect(routed(true)).toMatchObject({ status: 'True', reason: 'GatewayRoute' });
    expect(routed(false)).toMatchObject({ status: 'False', reason: 'IngressRouteMissing' });
  });
});
