import { describe, expect, it } from '@jest/globals';
import { SERVER_OBJECT_KINDS, defaultOperatorSettings, renderServer, renderServerWithResolution, resolveServer } from '../../../charts-ts/server/index.js';
import { InvalidImageReferenceError } from '../../../src/images/reference.js';
import { allStrings, byKind, j, mcpServer, noSettings, one, withCredentials } from './fixtures.js';

const deploymentOf = (objects: ReturnType<typeof renderServer>) => j(one(objects, 'Deployment'));
const podOf = (objects: ReturnType<typeof renderServer>) => deploymentOf(objects).spec.template.spec;
const containerOf = (objects: ReturnType<typeof renderServer>) => podOf(objects).containers[0];

describe('renderServer: objects, names and order', () => {
  it('renders NetworkPolicy, Deployment, Service, Middleware, Ingress named after the server, in a stable order', () => {
    const objects = renderServer(mcpServer('weather'), noSettings);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'NetworkPolicy/weather',
      'Deployment/weather',
      'Service/weather',
      'Middleware/weather-path-rewrite',
      'Ingress/weather',
    ]);
    expect(objects.map((o) => o.apiVersion)).toEqual(['networking.k8s.io/v1', 'apps/v1', 'v1', 'traefik.io/v1alpha1', 'networking.k8s.io/v1']);
  });

  it('returns only kinds listed in SERVER_OBJECT_KINDS, in that order (an Ingress, or through the gateway an IngressRoute)', () => {
    const objects = renderServer(mcpServer('a', { image: 'reg.example.com/w:1' }), withCredentials);
    expect(objects.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind }))).toEqual(SERVER_OBJECT_KINDS.filter((k) => k.kind !== 'IngressRoute' && k.kind !== 'Certificate'));
    const gateway = { namespace: 'mcp-gateway', name: 'mcp-gateway', port: 80 };
    const routed = renderServer(mcpServer('a', { image: 'reg.example.com/w:1' }), { ...withCredentials, gateway });
    const kindOrder = (kind: string) => SERVER_OBJECT_KINDS.findIndex((k) => k.kind === kind);
    const order = routed.map((o) => kindOrder(o.kind));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    expect(routed.map((o) => o.kind)).not.toContain('Ingress');
  });

  it('puts every object in the server namespace, defaulting to mcp-servers', () => {
    expect(renderServer(mcpServer('a'), noSettings).every((o) => o.metadata.namespace === 'mcp-servers')).toBe(true);
    expect(renderServer(mcpServer('a', {}, 'team-x'), noSettings).every((o) => o.metadata.namespace === 'team-x')).toBe(true);
  });

  it('sets no ownerReferences (the operator adds its own)', () => {
    const objects = renderServer(mcpServer('a'), withCredentials);
    expect(objects.every((o) => j(o).metadata.ownerReferences === undefined)).toBe(true);
  });

  it('is deterministic: equal input gives byte-identical JSON', () => {
    const a = JSON.stringify(renderServer(mcpServer('a', { envVars: [{ name: 'X', value: '1' }] }), withCredentials));
    const b = JSON.stringify(renderServer(mcpServer('a', { envVars: [{ name: 'X', value: '1' }] }), withCredentials));
    expect(a).toBe(b);
  });
});

describe('labels and selectors', () => {
  const objects = renderServer(mcpServer('weather'), noSettings);
  const expectedLabels = {
    app: 'weather',
    'app.kubernetes.io/name': 'weather',
    'app.kubernetes.io/instance': 'weather',
    'app.kubernetes.io/managed-by': 'mcp-runtime',
    'app.kubernetes.io/part-of': 'mcp-runtime',
    'app.kubernetes.io/component': 'mcp-server',
  };

  it('labels every object and the pod template', () => {
    for (const o of objects) expect(o.metadata.labels).toEqual(expectedLabels);
    expect(deploymentOf(objects).spec.template.metadata.labels).toEqual(expectedLabels);
  });

  it('selects on our own stable labels only (no cdk8s address label)', () => {
    const selector = { app: 'weather', 'app.kubernetes.io/managed-by': 'mcp-runtime' };
    expect(deploymentOf(objects).spec.selector).toEqual({ matchLabels: selector });
    expect(j(one(objects, 'Service')).spec.selector).toEqual(selector);
    expect(allStrings(objects).some((s) => s.startsWith('cdk8s.io'))).toBe(false);
  });

  it('the selector matches the pod template labels', () => {
    const d = deploymentOf(objects);
    for (const [k, v] of Object.entries(d.spec.selector.matchLabels)) expect(d.spec.template.metadata.labels[k]).toBe(v);
  });
});

describe('Deployment', () => {
  it('has one container named after the server with a port named http', () => {
    const pod = podOf(renderServer(mcpServer('weather', { port: 9000 }), noSettings));
    expect(pod.containers).toHaveLength(1);
    expect(pod.containers[0].name).toBe('weather');
    expect(pod.containers[0].ports).toEqual([{ name: 'http', containerPort: 9000, protocol: 'TCP' }]);
  });

  it('uses the replica count from the spec (default 1)', () => {
    expect(deploymentOf(renderServer(mcpServer('a'), noSettings)).spec.replicas).toBe(1);
    expect(deploymentOf(renderServer(mcpServer('a', { replicas: 3 }), noSettings)).spec.replicas).toBe(3);
    expect(deploymentOf(renderServer(mcpServer('a', { replicas: 0 }), noSettings)).spec.replicas).toBe(0);
  });

  it('runs under the restricted profile with a numeric non-root user', () => {
    const pod = podOf(renderServer(mcpServer('a'), noSettings));
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
    });
  });

  it('mounts a writable emptyDir at /tmp for the read-only root filesystem', () => {
    const pod = podOf(renderServer(mcpServer('a'), noSettings));
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
    expect(pod.containers[0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
  });

  it('defaults resources to 50m/64Mi requests and 500m/256Mi limits', () => {
    expect(containerOf(renderServer(mcpServer('a'), noSettings)).resources).toEqual({
      requests: { cpu: '50m', memory: '64Mi' },
      limits: { cpu: '500m', memory: '256Mi' },
    });
  });

  it('takes resources from the spec', () => {
    const c = containerOf(renderServer(mcpServer('a', { resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } } }), noSettings));
    expect(c.resources).toEqual({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } });
  });

  it('renders plain env vars, then env vars from Secrets', () => {
    const c = containerOf(
      renderServer(
        mcpServer('a', {
          envVars: [{ name: 'MODE', value: 'fast' }, { name: 'EMPTY' }],
          secretEnvVars: [{ name: 'TOKEN', secretKeyRef: { name: 'api', key: 'token' } }],
        }),
        noSettings,
      ),
    );
    expect(c.env).toEqual([
      { name: 'MODE', value: 'fast' },
      { name: 'EMPTY', value: '' },
      { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api', key: 'token' } } },
    ]);
  });

  it('renders no env when there is none', () => {
    expect(containerOf(renderServer(mcpServer('a'), noSettings)).env).toBeUndefined();
  });

  describe('probes', () => {
    it('defaults to TCP liveness and readiness on the http port', () => {
      const c = containerOf(renderServer(mcpServer('a'), noSettings));
      const tcp = { tcpSocket: { port: 'http' }, periodSeconds: 10 };
      expect(c.livenessProbe).toEqual(tcp);
      expect(c.readinessProbe).toEqual(tcp);
    });

    it('checks every second until the server first answers (a minute at most), then at the probe period', () => {
      const c = containerOf(renderServer(mcpServer('a'), noSettings));
      expect(c.startupProbe).toEqual({ tcpSocket: { port: 'http' }, periodSeconds: 1, failureThreshold: 60 });
      const h = containerOf(renderServer(mcpServer('a', { probe: { type: 'http', path: '/healthz', periodSeconds: 5, initialDelaySeconds: 2 } }), noSettings));
      expect(h.startupProbe).toEqual({ httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1, failureThreshold: 60, initialDelaySeconds: 2 });
    });

    it('uses an httpGet on the given path for type http, with the given timing', () => {
      const c = containerOf(renderServer(mcpServer('a', { probe: { type: 'http', path: '/healthz', periodSeconds: 5, initialDelaySeconds: 2 } }), noSettings));
      const http = { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5, initialDelaySeconds: 2 };
      expect(c.livenessProbe).toEqual(http);
      expect(c.readinessProbe).toEqual(http);
    });

    it('renders no probes for type none', () => {
      const c = containerOf(renderServer(mcpServer('a', { probe: { type: 'none' } }), noSettings));
      expect(c.startupProbe).toBeUndefined();
      expect(c.livenessProbe).toBeUndefined();
      expect(c.readinessProbe).toBeUndefined();
    });

    it('falls back to TCP with a warning for an http probe without path (spec that skipped validation)', () => {
      const server = mcpServer('a');
      const broken = { ...server, spec: { ...server.spec, probe: { type: 'http' as const } } };
      const { resolved, objects } = renderServerWithResolution(broken, noSettings);
      expect(containerOf(objects).livenessProbe.tcpSocket).toEqual({ port: 'http' });
      expect(resolved.warnings.join()).toMatch(/needs a path/);
    });
  });

  describe('image and pull policy', () => {
    it.each([
      [{ image: 'ghcr.io/acme/w' }, 'ghcr.io/acme/w:latest', 'Always'],
      [{ image: 'ghcr.io/acme/w:latest' }, 'ghcr.io/acme/w:latest', 'Always'],
      [{ image: 'ghcr.io/acme/w', imageTag: 'v1' }, 'ghcr.io/acme/w:v1', 'IfNotPresent'],
      [{ image: `ghcr.io/acme/w@sha256:${'b'.repeat(64)}` }, `ghcr.io/acme/w@sha256:${'b'.repeat(64)}`, 'IfNotPresent'],
      [{ image: 'w:latest', imagePullPolicy: 'IfNotPresent' as const }, 'w:latest', 'IfNotPresent'],
      [{ image: 'w:1', imagePullPolicy: 'Never' as const }, 'w:1', 'Never'],
      [{ image: 'acme/w:1', registryOverride: 'reg.local:5000' }, 'reg.local:5000/acme/w:1', 'IfNotPresent'],
      [{ image: 'w:1', useProvisionedRegistry: true }, 'registry.registry.svc.cluster.local:5000/w:1', 'IfNotPresent'],
    ])('%j → %s (%s)', (spec, image, policy) => {
      const c = containerOf(renderServer(mcpServer('a', spec), noSettings));
      expect(c.image).toBe(image);
      expect(c.imagePullPolicy).toBe(policy);
    });

    it('rewrites to the provisioned registry when configured', () => {
      const c = containerOf(renderServer(mcpServer('a', { image: 'acme/w:1', useProvisionedRegistry: true }), withCredentials));
      expect(c.image).toBe('reg.example.com/acme/w:1');
    });

    it('throws InvalidImageReferenceError for a malformed image', () => {
      expect(() => renderServer(mcpServer('a', { image: 'Acme/W' }), noSettings)).toThrow(InvalidImageReferenceError);
    });
  });

  describe('pull secrets', () => {
    it('uses spec.imagePullSecrets as given and generates nothing', () => {
      const objects = renderServer(mcpServer('a', { image: 'reg.example.com/w:1', imagePullSecrets: ['mine', 'other'] }), withCredentials);
      expect(podOf(objects).imagePullSecrets).toEqual([{ name: 'mine' }, { name: 'other' }]);
      expect(byKind(objects, 'Secret')).toHaveLength(0);
    });

    it('generates a dockerconfigjson Secret when credentials exist and the image is in the provisioned registry', () => {
      const objects = renderServer(mcpServer('a', { image: 'reg.example.com/team/w:1' }), withCredentials);
      const secret = j(one(objects, 'Secret'));
      expect(objects[0]!.kind).toBe('Secret');
      expect(secret.metadata.name).toBe('mcp-runtime-registry-creds');
      expect(secret.metadata.namespace).toBe('mcp-servers');
      expect(secret.type).toBe('kubernetes.io/dockerconfigjson');
      const config = JSON.parse(Buffer.from(secret.data['.dockerconfigjson'], 'base64').toString('utf8'));
      expect(config).toEqual({
        auths: { 'reg.example.com': { username: 'robot', password: 'hunter2', auth: Buffer.from('robot:hunter2').toString('base64') } },
      });
      expect(podOf(objects).imagePullSecrets).toEqual([{ name: 'mcp-runtime-registry-creds' }]);
    });

    it('uses the configured Secret name', () => {
      const settings = defaultOperatorSettings({
        PROVISIONED_REGISTRY_URL: 'reg.example.com',
        PROVISIONED_REGISTRY_USERNAME: 'u',
        PROVISIONED_REGISTRY_PASSWORD: 'p',
        PROVISIONED_REGISTRY_SECRET_NAME: 'pull-me',
      });
      const objects = renderServer(mcpServer('a', { image: 'w', useProvisionedRegistry: true }), settings);
      expect(one(objects, 'Secret').metadata.name).toBe('pull-me');
      expect(podOf(objects).imagePullSecrets).toEqual([{ name: 'pull-me' }]);
    });

    it.each([
      ['the image is elsewhere', { image: 'ghcr.io/acme/w:1' }, withCredentials],
      ['there is no password', { image: 'reg.example.com/w:1' }, defaultOperatorSettings({ PROVISIONED_REGISTRY_URL: 'reg.example.com', PROVISIONED_REGISTRY_USERNAME: 'u' })],
      ['there is no provisioned registry', { image: 'reg.example.com/w:1' }, noSettings],
    ])('generates no Secret and no pull secret when %s', (_why, spec, settings) => {
      const objects = renderServer(mcpServer('a', spec), settings);
      expect(byKind(objects, 'Secret')).toHaveLength(0);
      expect(podOf(objects).imagePullSecrets).toBeUndefined();
    });

    it('keeps the password out of ResolvedServer and out of printed settings', () => {
      const resolved = resolveServer(mcpServer('a', { image: 'reg.example.com/w' }), withCredentials);
      expect(JSON.stringify(resolved)).not.toContain('hunter2');
      expect(JSON.stringify(withCredentials)).not.toContain('hunter2');
      expect(withCredentials.provisionedRegistry?.password).toBe('hunter2');
    });
  });
});

describe('Service', () => {
  it('is a ClusterIP Service from servicePort to the port named http', () => {
    const svc = j(one(renderServer(mcpServer('a', { servicePort: 8080, port: 9000 }), noSettings), 'Service'));
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }]);
  });
});

describe('Ingress', () => {
  const ingressOf = (objects: ReturnType<typeof renderServer>) => j(one(objects, 'Ingress'));

  it('routes the default path /<name>/mcp with pathType Prefix to the Service port, hostless by default', () => {
    const ing = ingressOf(renderServer(mcpServer('weather', { servicePort: 81 }), noSettings));
    expect(ing.spec.ingressClassName).toBe('traefik');
    expect(ing.spec.rules).toEqual([
      { http: { paths: [{ path: '/weather/mcp', pathType: 'Prefix', backend: { service: { name: 'weather', port: { number: 81 } } } }] } },
    ]);
  });

  it('honours a custom ingressPath', () => {
    const ing = ingressOf(renderServer(mcpServer('weather', { ingressPath: '/tools/forecast' }), noSettings));
    expect(ing.spec.rules[0].http.paths[0].path).toBe('/tools/forecast');
  });

  it('uses spec.ingressHost, else the operator default host', () => {
    expect(ingressOf(renderServer(mcpServer('a', { ingressHost: 'a.example.com' }), noSettings)).spec.rules[0].host).toBe('a.example.com');
    const settings = defaultOperatorSettings({ MCP_DEFAULT_INGRESS_HOST: 'mcp.example.com' });
    expect(ingressOf(renderServer(mcpServer('a'), settings)).spec.rules[0].host).toBe('mcp.example.com');
    expect(ingressOf(renderServer(mcpServer('a', { ingressHost: 'own.example.com' }), settings)).spec.rules[0].host).toBe('own.example.com');
  });

  it('takes the class from the spec, else from DEFAULT_INGRESS_CLASS', () => {
    expect(ingressOf(renderServer(mcpServer('a', { ingressClass: 'nginx' }), noSettings)).spec.ingressClassName).toBe('nginx');
    const settings = defaultOperatorSettings({ DEFAULT_INGRESS_CLASS: 'haproxy' });
    expect(ingressOf(renderServer(mcpServer('a'), settings)).spec.ingressClassName).toBe('haproxy');
  });

  it('adds Traefik entrypoint and middleware annotations', () => {
    const ing = ingressOf(renderServer(mcpServer('weather', {}, 'team'), noSettings));
    expect(ing.metadata.annotations).toEqual({
      'traefik.ingress.kubernetes.io/router.entrypoints': 'web',
      'traefik.ingress.kubernetes.io/router.middlewares': 'team-weather-path-rewrite@kubernetescrd',
    });
  });

  it('adds no middleware annotation when no rewrite is needed', () => {
    const ing = ingressOf(renderServer(mcpServer('a', { ingressPath: '/mcp' }), noSettings));
    expect(ing.metadata.annotations).toEqual({ 'traefik.ingress.kubernetes.io/router.entrypoints': 'web' });
  });

  it('merges the user annotations over ours, the user winning', () => {
    const ing = ingressOf(
      renderServer(mcpServer('a', { ingressAnnotations: { 'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure', 'example.com/x': 'y' } }), noSettings),
    );
    expect(ing.metadata.annotations).toEqual({
      'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure',
      'traefik.ingress.kubernetes.io/router.middlewares': 'mcp-servers-a-path-rewrite@kubernetescrd',
      'example.com/x': 'y',
    });
  });

  it('warns when the user replaces the middleware list without ours', () => {
    const { resolved } = renderServerWithResolution(
      mcpServer('a', { ingressAnnotations: { 'traefik.ingress.kubernetes.io/router.middlewares': 'x-auth@kubernetescrd' } }),
      noSettings,
    );
    expect(resolved.ingressAnnotations['traefik.ingress.kubernetes.io/router.middlewares']).toBe('x-auth@kubernetescrd');
    expect(resolved.warnings.join()).toMatch(/mcp-servers-a-path-rewrite@kubernetescrd/);
  });

  it('sets nginx SSE-friendly annotations for the nginx class, and the user still wins', () => {
    const ing = ingressOf(
      renderServer(mcpServer('a', { ingressClass: 'nginx', ingressAnnotations: { 'nginx.ingress.kubernetes.io/proxy-read-timeout': '600' } }), noSettings),
    );
    expect(ing.metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/ssl-redirect': 'false',
      'nginx.ingress.kubernetes.io/proxy-buffering': 'off',
      'nginx.ingress.kubernetes.io/proxy-request-buffering': 'off',
      'nginx.ingress.kubernetes.io/proxy-read-timeout': '600',
      'nginx.ingress.kubernetes.io/proxy-send-timeout': '3600',
    });
  });

  it('adds no controller annotations for other classes', () => {
    expect(ingressOf(renderServer(mcpServer('a', { ingressClass: 'haproxy' }), noSettings)).metadata.annotations).toBeUndefined();
  });

  it('never adds compression or buffering middleware (SSE must stream)', () => {
    const text = JSON.stringify(renderServer(mcpServer('a'), noSettings));
    expect(text).not.toMatch(/compress|buffering/i);
  });
});

describe('Traefik Middleware (path rewrite)', () => {
  const middlewares = (spec: Parameters<typeof mcpServer>[1], settings = noSettings) => byKind(renderServer(mcpServer('weather', spec), settings), 'Middleware').map(j);

  it('strips the leading part when ingressPath ends with containerPath', () => {
    expect(middlewares({}).map((m) => m.spec)).toEqual([{ stripPrefix: { prefixes: ['/weather'] } }]);
    expect(middlewares({ ingressPath: '/a/b/mcp' }).map((m) => m.spec)).toEqual([{ stripPrefix: { prefixes: ['/a/b'] } }]);
  });

  it('replaces the prefix when ingressPath does not end with containerPath', () => {
    expect(middlewares({ ingressPath: '/tools/weather' }).map((m) => m.spec)).toEqual([
      { replacePathRegex: { regex: '^/tools/weather(.*)', replacement: '/mcp$1' } },
    ]);
  });

  it('renders no Middleware when ingressPath equals containerPath', () => {
    expect(middlewares({ ingressPath: '/mcp' })).toEqual([]);
    expect(middlewares({ ingressPath: '/weather/mcp', containerPath: '/weather/mcp' })).toEqual([]);
  });

  it('renders no Middleware for non-Traefik classes, and warns when the paths differ', () => {
    expect(middlewares({ ingressClass: 'nginx' })).toEqual([]);
    expect(resolveServer(mcpServer('weather', { ingressClass: 'nginx' }), noSettings).warnings.join()).toMatch(/no path rewrite/);
    expect(resolveServer(mcpServer('weather', { ingressClass: 'nginx', ingressPath: '/mcp' }), noSettings).warnings).toEqual([]);
  });

  it('is named <server>-path-rewrite and carries the server labels', () => {
    const [m] = middlewares({});
    expect(m.metadata.name).toBe('weather-path-rewrite');
    expect(m.metadata.labels.app).toBe('weather');
  });
});

describe('resolveServer', () => {
  it('reports every resolved field', () => {
    const r = resolveServer(mcpServer('weather', { image: 'acme/w', ingressHost: 'mcp.example.com' }), noSettings);
    expect(r).toMatchObject({
      name: 'weather',
      namespace: 'mcp-servers',
      image: 'acme/w:latest',
      pullPolicy: 'Always',
      imagePullSecrets: [],
      replicas: 1,
      port: 8088,
      servicePort: 80,
      containerPath: '/mcp',
      ingressPath: '/weather/mcp',
      ingressHost: 'mcp.example.com',
      ingressClass: 'traefik',
      rewrite: { kind: 'strip', prefix: '/weather' },
      middlewareName: 'weather-path-rewrite',
      url: 'http://mcp.example.com/weather/mcp',
      probe: { type: 'tcp', periodSeconds: 10 },
      warnings: [],
    });
  });

  it('gives the path alone as url when hostless or wildcard', () => {
    expect(resolveServer(mcpServer('weather'), noSettings).url).toBe('/weather/mcp');
    expect(resolveServer(mcpServer('weather', { ingressHost: '*.example.com' }), noSettings).url).toBe('/weather/mcp');
  });

  it('defaults fields a spec may lack when it skipped CRD defaulting', () => {
    const bare = { apiVersion: 'mcp.agent-hellboy.io/v1alpha1' as const, kind: 'MCPServer' as const, metadata: { name: 'bare' }, spec: { image: 'w' } };
    const r = resolveServer(bare as unknown as Parameters<typeof resolveServer>[0], noSettings);
    expect(r).toMatchObject({ replicas: 1, port: 8088, servicePort: 80, containerPath: '/mcp', probe: { type: 'tcp', periodSeconds: 10 } });
    expect(r.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    expect(renderServer(bare as unknown as Parameters<typeof resolveServer>[0], noSettings)).toEqual(renderServer(mcpServer('bare', { image: 'w' }), noSettings));
  });
});
