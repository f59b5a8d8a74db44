import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { HealthServer } from '../../../src/runtime/health.js';
import { createLogger, keyLogger, objectSummary } from '../../../src/runtime/logger.js';
import { Gauge, Registry } from 'prom-client';
import { MetricsServer, RuntimeMetrics } from '../../../src/runtime/metrics.js';

async function get(port: number, path: string): Promise<{ status: number; body: string; type: string | null }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type') };
}

describe('HealthServer', () => {
  it('serves /healthz and /readyz from named checks', async () => {
    const health = new HealthServer();
    let ready: string | undefined = 'informers not synced: configmaps';
    health.addHealthzCheck('ping', () => undefined);
    health.addReadyzCheck('sync', () => ready);
    health.addReadyzCheck('async', async () => undefined);
    const port = await health.listen(0, '127.0.0.1');
    try {
      expect(await get(port, '/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
      const notReady = await get(port, '/readyz');
      expect(notReady.status).toBe(500);
      expect(notReady.body).toContain('[-]sync failed: informers not synced: configmaps');
      expect(notReady.body).toContain('[+]async ok');
      ready = undefined;
      expect(await get(port, '/readyz')).toMatchObject({ status: 200, body: 'ok\n' });
      expect((await get(port, '/readyz?verbose')).body).toContain('[+]sync ok');
      expect((await get(port, '/readyz/async')).status).toBe(200);
      expect((await get(port, '/readyz/missing')).status).toBe(500);
      expect((await get(port, '/metrics')).status).toBe(404);
    } finally {
      await health.close();
    }
  });

  it('a throwing check fails with its message', async () => {
    const health = new HealthServer();
    health.addHealthzCheck('boom', () => {
      throw new Error('kaput');
    });
    expect(await health.run('healthz')).toEqual({ ok: false, body: '[-]boom failed: kaput\nhealthz check failed\n' });
  });
});

describe('RuntimeMetrics and MetricsServer', () => {
  it('answers 500 with the error when a collector throws, instead of leaving the scrape hanging', async () => {
    const registry = new Registry();
    new Gauge({
      name: 'broken_gauge',
      help: 'a gauge whose collect fails',
      registers: [registry],
      collect() {
        throw new Error('the cache is gone');
      },
    });
    const server = new MetricsServer(registry);
    const port = await server.listen(0, '127.0.0.1');
    try {
      const res = await get(port, '/metrics');
      expect(res.status).toBe(500);
      expect(res.body).toContain('the cache is gone');
    } finally {
      await server.close();
    }
  });

  it('exports controller-runtime metric names from a per-manager registry', async () => {
    const one = new RuntimeMetrics({ defaultMetrics: false });
    const two = new RuntimeMetrics(); // a second registry with default metrics does not collide
    const queue = one.queue('mcpserver');
    queue.added();
    queue.depth(3);
    queue.retried();
    queue.queueLatency(0.01);
    queue.workDuration(0.2);
    const controller = one.controller('mcpserver');
    controller.reconciled('success', 0.1);
    controller.reconciled('error', 0.2);
    one.informer('configmaps').restarted('watchdog');
    one.leader('mcp-runtime-operator').leading(true);
    two.controller('mcpserver').reconciled('success', 1);
    const server = new MetricsServer(one.registry);
    const port = await server.listen(0, '127.0.0.1');
    try {
      const res = await get(port, '/metrics');
      expect(res.status).toBe(200);
      expect(res.type).toContain('text/plain');
      for (const line of [
        'controller_runtime_reconcile_total{controller="mcpserver",result="success"} 1',
        'controller_runtime_reconcile_total{controller="mcpserver",result="error"} 1',
        'controller_runtime_reconcile_total{controller="mcpserver",result="requeue"} 0',
        'controller_runtime_reconcile_errors_total{controller="mcpserver"} 1',
        'controller_runtime_reconcile_time_seconds_count{controller="mcpserver"} 2',
        'workqueue_depth{name="mcpserver"} 3',
        'workqueue_adds_total{name="mcpserver"} 1',
        'workqueue_retries_total{name="mcpserver"} 1',
        'workqueue_queue_duration_seconds_count{name="mcpserver"} 1',
        'workqueue_work_duration_seconds_count{name="mcpserver"} 1',
        'leader_election_master_status{name="mcp-runtime-operator"} 1',
        'informer_watch_restarts_total{informer="configmaps",reason="watchdog"} 1',
        'informer_lists_total{informer="configmaps"} 0',
      ]) {
        expect(res.body).toContain(line);
      }
      expect(res.body).not.toContain('process_cpu');
      expect(await two.registry.metrics()).toContain('process_cpu');
      expect((await get(port, '/other')).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe('logger', () => {
  function capture() {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    return { lines, logger: createLogger({ level: 'debug', name: 'test', destination }) };
  }

  it('never writes Secret data, even when a whole Secret is logged', async () => {
    const { lines, logger } = capture();
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'creds', namespace: 'ns', resourceVersion: '7' },
      data: { password: Buffer.from('hunter2').toString('base64') },
      stringData: { token: 'hunter2' },
    };
    logger.info({ obj: secret }, 'as obj');
    logger.info({ secret }, 'nested');
    logger.info(secret, 'top level');
    logger.info({ password: 'hunter2', headers: { authorization: 'Bearer hunter2' } }, 'credentials');
    await new Promise((resolve) => setImmediate(resolve));
    const text = JSON.stringify(lines);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain(Buffer.from('hunter2').toString('base64'));
    expect(lines[0]?.obj).toEqual({ kind: 'Secret', namespace: 'ns', name: 'creds', resourceVersion: '7' });
    expect((lines[1]?.secret as { data: unknown }).data).toBe('[REDACTED]');
  });

  it('binds controller and key on child loggers', async () => {
    const { lines, logger } = capture();
    keyLogger(logger.child({ controller: 'mcpserver' }), 'ns/a', 'r1').info('reconciling');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines[0]).toMatchObject({ name: 'test', controller: 'mcpserver', key: 'ns/a', reconcileId: 'r1', msg: 'reconciling' });
  });

  it('objectSummary ignores non-objects', () => {
    expect(objectSummary('x')).toBeUndefined();
    expect(objectSummary(null)).toBeUndefined();
  });
});
