import { describe, expect, it } from '@jest/globals';
import { waitFor } from '../../../src/local-cluster/wait.js';

describe('waitFor', () => {
  it('names what it waited for and shows the last object without its managedFields', async () => {
    const server = {
      metadata: { name: 'later', managedFields: [{ manager: 'x'.repeat(5_000) }] },
      status: { phase: 'Pending', message: 'waiting for 1 replica' },
    };
    const failure = waitFor('later Ready', () => server, { until: (s) => s.status.phase === 'Ready', timeoutMs: 0 });
    await expect(failure).rejects.toThrow(
      'timed out after 0 ms waiting for later Ready; last observed: {"metadata":{"name":"later"},"status":{"phase":"Pending","message":"waiting for 1 replica"}}',
    );
  });

  it('reports the last error when every attempt failed', async () => {
    const failure = waitFor('the API', () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })), { timeoutMs: 0 });
    await expect(failure).rejects.toThrow('last observed: error: connect ECONNREFUSED, code ECONNREFUSED');
  });
});
