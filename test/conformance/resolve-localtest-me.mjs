// Preloaded (`node --import`) into the conformance suite's Node 22 process: `*.localtest.me`
// answers 127.0.0.1, as public DNS would, because these machines have no DNS. Only those names;
// every other lookup goes to the real resolver. fetch (undici) connects through net, which calls
// dns.lookup, with `{ all: true }` when it races address families (autoSelectFamily).
import dns from 'node:dns';
import { nextTick } from 'node:process';

const LOOPBACK_NAME = /(^|\.)localtest\.me\.?$/i;
const realLookup = dns.lookup;

dns.lookup = function lookup(hostname, options, callback) {
  if (typeof options === 'function') [callback, options] = [options, {}];
  if (!LOOPBACK_NAME.test(hostname)) return realLookup.call(this, hostname, options, callback);
  const all = typeof options === 'object' && options !== null && options.all === true;
  if (all) nextTick(callback, null, [{ address: '127.0.0.1', family: 4 }]);
  else nextTick(callback, null, '127.0.0.1', 4);
};
