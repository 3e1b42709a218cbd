// Test-only preload (node --import): resolves the host names listed in
// IMAGESHIP_TEST_HOSTS ("name=127.0.0.1,other=127.0.0.1") to the given address,
// so a hostile server on loopback can play a remote host (hub.example.test)
// that imageship treats as remote: TLS, SNI, origin checks. Every other name
// resolves as usual. node:net reads dns.lookup at connect time, so patching the
// module's export is enough.
import dns from 'node:dns';

const table = new Map(
  (process.env.IMAGESHIP_TEST_HOSTS ?? '')
    .split(',')
    .map((pair) => pair.trim().split('='))
    .filter(([name, address]) => name && address)
    .map(([name, address]) => [name.toLowerCase(), address]),
);

if (table.size > 0) {
  const original = dns.lookup;
  dns.lookup = function lookup(hostname, options, callback) {
    const cb = typeof options === 'function' ? options : callback;
    const opts = typeof options === 'function' ? {} : typeof options === 'number' ? { family: options } : (options ?? {});
    const address = table.get(String(hostname).toLowerCase());
    if (address === undefined) return original.call(dns, hostname, options, callback);
    const family = address.includes(':') ? 6 : 4;
    process.nextTick(() => (opts.all ? cb(null, [{ address, family }]) : cb(null, address, family)));
    return {};
  };
  const promises = dns.promises;
  const originalPromise = promises.lookup;
  promises.lookup = async function lookup(hostname, options) {
    const address = table.get(String(hostname).toLowerCase());
    if (address === undefined) return originalPromise.call(promises, hostname, options);
    const family = address.includes(':') ? 6 : 4;
    return options && options.all ? [{ address, family }] : { address, family };
  };
}
