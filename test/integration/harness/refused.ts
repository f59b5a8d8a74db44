/**
 * Status code and message of a client-node call the API server refused (its ApiException
 * carries the Status body). Throws when the call succeeded, so a test cannot pass by accident.
 */
export async function refused(call: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await call;
  } catch (error) {
    const e = error as { code?: number; body?: unknown };
    const body = typeof e.body === 'string' ? (JSON.parse(e.body) as { message?: string }) : (e.body as { message?: string });
    return { code: e.code ?? -1, message: body?.message ?? String(error) };
  }
  throw new Error('expected the API server to refuse the request, but it succeeded');
}
