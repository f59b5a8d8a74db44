/**
 * Process-wide safety net: whatever happens to the caller (uncaught error, Ctrl-C, jest
 * aborting), running control planes are stopped. One set of hooks serves all clusters.
 */
export interface Cleanable {
  /** Graceful, async stop. */
  stop(): Promise<void>;
  /** Last resort from the 'exit' event, where only synchronous work runs. */
  stopSync(): void;
}

interface Entry {
  target: Cleanable;
  handleSignals: boolean;
}

const active = new Set<Entry>();
let exitHookInstalled = false;
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let signalHooksInstalled = false;

function onExit(): void {
  for (const entry of active) entry.target.stopSync();
  active.clear();
}

async function onSignal(signal: NodeJS.Signals): Promise<void> {
  const mine = [...active].filter((e) => e.handleSignals);
  for (const entry of mine) active.delete(entry);
  removeSignalHooks();
  await Promise.allSettled(mine.map((e) => e.target.stop()));
  // Behave as if we had never intercepted the signal: if nobody else handles it, the default
  // action (terminate) applies; if someone does, they decide.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function removeSignalHooks(): void {
  for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  signalHooksInstalled = false;
}

/**
 * Registers a running cluster. With `handleSignals`, SIGINT/SIGTERM/SIGHUP stop it and then
 * re-raise the signal; without (runSandbox handles signals itself), only the exit hook applies.
 * Returns the function that unregisters it (call it from stop()).
 */
export function registerForCleanup(target: Cleanable, handleSignals: boolean): () => void {
  const entry: Entry = { target, handleSignals };
  active.add(entry);
  if (!exitHookInstalled) {
    process.on('exit', onExit);
    exitHookInstalled = true;
  }
  if (handleSignals && !signalHooksInstalled) {
    for (const signal of SIGNALS) process.on(signal, onSignal);
    signalHooksInstalled = true;
  }
  return () => {
    active.delete(entry);
    if (signalHooksInstalled && ![...active].some((e) => e.handleSignals)) removeSignalHooks();
  };
}
