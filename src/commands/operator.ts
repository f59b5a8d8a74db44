import { Flags } from '@oclif/core';
import { BaseCommand, kubeFlags } from '../cli/base.js';

export default class Operator extends BaseCommand {
  static override description =
    'Run the MCPServer operator against the current kubeconfig (in a cluster it uses its ServiceAccount). ' +
    'Every flag can also be set by the environment variable named in its description.';

  static override examples = [
    '<%= config.bin %> operator',
    '<%= config.bin %> operator --ingress-readiness permissive --no-leader-elect --metrics-bind-address 127.0.0.1:0',
    '<%= config.bin %> operator --namespaces team-a,team-b --concurrency 8',
  ];

  static override flags = {
    ...kubeFlags,
    'ingress-readiness': Flags.string({
      options: ['strict', 'permissive'],
      description: 'strict: Routed once the ingress controller publishes an address; permissive: once the Ingress exists (clusters whose controller never publishes one). Env INGRESS_READINESS. Default strict.',
    }),
    concurrency: Flags.integer({ min: 1, max: 64, description: 'Concurrent reconciles. Env OPERATOR_CONCURRENCY. Default 4.' }),
    namespaces: Flags.string({ description: 'Comma-separated namespaces to watch. Env WATCH_NAMESPACES. Default all.' }),
    'metrics-bind-address': Flags.string({ description: 'Prometheus metrics address. Env METRICS_BIND_ADDRESS. Default :8080.' }),
    'health-probe-bind-address': Flags.string({ description: '/healthz and /readyz address. Env HEALTH_PROBE_BIND_ADDRESS. Default :8081.' }),
    'leader-elect': Flags.boolean({ allowNo: true, description: 'Use a Lease so only one replica reconciles. Env LEADER_ELECT. Default on.' }),
    'default-ingress-host': Flags.string({ description: 'Host for servers without spec.ingressHost. Env MCP_DEFAULT_INGRESS_HOST.' }),
    'default-ingress-class': Flags.string({ description: 'IngressClass for servers without spec.ingressClass. Env DEFAULT_INGRESS_CLASS. Default traefik.' }),
    'gateway-service': Flags.string({ description: 'Route servers through the platform gateway at this Service, namespace/name:port (spec.gateway.enabled: false opts out). Env MCP_GATEWAY_SERVICE. Default: none.' }),
    verify: Flags.boolean({
      allowNo: true,
      description: 'Check every ready pod over MCP (initialize + tools/list) and report Verified and the tools in status. Env VERIFY_SERVERS. Default on; turn it off where pods are simulated (KWOK).',
    }),
    'verify-interval': Flags.integer({ min: 30, max: 86_400, description: 'Seconds between verifications of an unchanged pod (±10% jitter; spec.verification.intervalSeconds wins). Env VERIFY_INTERVAL_SECONDS. Default 300.' }),
    'verify-timeout': Flags.integer({ min: 1, max: 120, description: 'Seconds a handshake may take. Env VERIFY_TIMEOUT_SECONDS. Default 10.' }),
    'verify-concurrency': Flags.integer({ min: 1, max: 64, description: 'Servers verified at once. Env VERIFY_CONCURRENCY. Default 4.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Operator);
    const [{ runOperator }, { ConfigError }] = await Promise.all([import('../operator/run.js'), import('../operator/config.js')]);
    const flagValues = {
      ...(flags['ingress-readiness'] === undefined ? {} : { ingressReadiness: flags['ingress-readiness'] as 'strict' | 'permissive' }),
      ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
      ...(flags.namespaces === undefined ? {} : { namespaces: flags.namespaces.split(',').map((n) => n.trim()).filter(Boolean) }),
      ...(flags['metrics-bind-address'] === undefined ? {} : { metricsAddress: flags['metrics-bind-address'] }),
      ...(flags['health-probe-bind-address'] === undefined ? {} : { healthAddress: flags['health-probe-bind-address'] }),
      ...(flags['leader-elect'] === undefined ? {} : { leaderElect: flags['leader-elect'] }),
      ...(flags['default-ingress-host'] === undefined ? {} : { defaultIngressHost: flags['default-ingress-host'] }),
      ...(flags['default-ingress-class'] === undefined ? {} : { defaultIngressClass: flags['default-ingress-class'] }),
      ...(flags['gateway-service'] === undefined ? {} : { gatewayService: flags['gateway-service'] }),
      ...(flags.verify === undefined ? {} : { verify: flags.verify }),
      ...(flags['verify-interval'] === undefined ? {} : { verifyIntervalSeconds: flags['verify-interval'] }),
      ...(flags['verify-timeout'] === undefined ? {} : { verifyTimeoutSeconds: flags['verify-timeout'] }),
      ...(flags['verify-concurrency'] === undefined ? {} : { verifyConcurrency: flags['verify-concurrency'] }),
    };
    try {
      await runOperator({ env: process.env, flags: flagValues, target: flags });
    } catch (error) {
      if (error instanceof ConfigError) this.error(error.message, { exit: 2 });
      throw error;
    }
  }
}
