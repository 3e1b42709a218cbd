// Loopback references for bench/copy.mjs: how fast bytes move over 127.0.0.1
// with no registry in the way, and what Node's own streaming costs per byte.
//
//   node bench/lib/loopback.mjs server                   prints {"port":N}; GET /<bytes> streams that many
//                                                        random bytes, PUT/POST anything is read and dropped
//   node bench/lib/loopback.mjs get-http  <port> <bytes> node:http GET, body dropped
//   node bench/lib/loopback.mjs get-fetch <port> <bytes> fetch GET, body read through its ReadableStream
//   node bench/lib/loopback.mjs pipe-fetch <src-port> <dst-port> <blob-bytes> <blobs> <concurrency> [sha256]
//                                                        per blob, a fetch GET piped into a streamed fetch PUT
//                                                        (a copier with nothing else to do), `concurrency` blobs
//                                                        at once, optionally through a TransformStream that
//                                                        hashes every chunk
//   node bench/lib/loopback.mjs sha256 <bytes>           node:crypto sha256 over 64 KiB chunks
//
// Client modes print one JSON line {ms, bytes, cpuUserMs, cpuSysMs}.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, request } from 'node:http';
import { performance } from 'node:perf_hooks';

const [mode, ...args] = process.argv.slice(2);
const SOURCE_CHUNK = randomBytes(1024 * 1024);

function report(t0, cpu0, bytes) {
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(`${JSON.stringify({ ms, bytes, cpuUserMs: cpu.user / 1000, cpuSysMs: cpu.system / 1000 })}\n`);
}

if (mode === 'server') {
  const server = createServer((req, res) => {
    if (req.method === 'GET') {
      let left = Number(req.url.slice(1));
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(left) });
      const write = () => {
        while (left > 0) {
          const n = Math.min(left, SOURCE_CHUNK.length);
          left -= n;
          if (!res.write(n === SOURCE_CHUNK.length ? SOURCE_CHUNK : SOURCE_CHUNK.subarray(0, n))) {
            res.once('drain', write);
            return;
          }
        }
        res.end();
      };
      write();
      return;
    }
    let n = 0;
    req.on('data', (c) => (n += c.length));
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'text/plain' });
      res.end(String(n));
    });
  });
  server.keepAliveTimeout = 5000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
} else if (mode === 'get-http') {
  const [port, bytes] = args.map(Number);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let n = 0;
  await new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: `/${bytes}`, method: 'GET' }, (res) => {
      res.on('data', (c) => (n += c.length));
      res.on('end', resolve);
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
  if (n !== bytes) throw new Error(`got ${n} bytes, expected ${bytes}`);
  report(t0, cpu0, n);
} else if (mode === 'get-fetch') {
  const [port, bytes] = args.map(Number);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/${bytes}`);
  let n = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.byteLength;
  }
  if (n !== bytes) throw new Error(`got ${n} bytes, expected ${bytes}`);
  report(t0, cpu0, n);
} else if (mode === 'pipe-fetch') {
  const [srcPort, dstPort, blobBytes, blobs, concurrency] = args.slice(0, 5).map(Number);
  const hash = args[5] === 'sha256';
  const copyOne = async () => {
    const get = await fetch(`http://127.0.0.1:${srcPort}/${blobBytes}`, { headers: { 'accept-encoding': 'identity' } });
    let body = get.body;
    let digest;
    if (hash) {
      const h = createHash('sha256');
      body = body.pipeThrough(
        new TransformStream({
          transform(chunk, controller) {
            h.update(chunk);
            controller.enqueue(chunk);
          },
          flush() {
            digest = h.digest('hex');
          },
        }),
      );
    }
    const put = await fetch(`http://127.0.0.1:${dstPort}/sink`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(blobBytes) },
      body,
      duplex: 'half',
      redirect: 'error',
    });
    const n = Number(await put.text());
    if (n !== blobBytes) throw new Error(`sink got ${n} bytes, expected ${blobBytes}`);
    if (hash && !digest) throw new Error('no digest');
    return n;
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let next = 0;
  let total = 0;
  const worker = async () => {
    while (next < blobs) {
      next++;
      const n = await copyOne();
      total += n;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, blobs) }, worker));
  report(t0, cpu0, total);
} else if (mode === 'sha256') {
  const bytes = Number(args[0]);
  const chunk = SOURCE_CHUNK.subarray(0, 64 * 1024);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const h = createHash('sha256');
  for (let left = bytes; left > 0; left -= chunk.length) h.update(left >= chunk.length ? chunk : chunk.subarray(0, left));
  h.digest('hex');
  report(t0, cpu0, bytes);
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
