/**
 * An HTTP CONNECT tunnel through a proxy: the way TLS to a registry or a
 * cloud API crosses a corporate proxy while staying end-to-end encrypted (the
 * proxy sees only host:port). The proxy itself may be http:// or https://
 * (TLS to the proxy, then the target's TLS inside it). A proxy that says no
 * gives one line naming the proxy, the destination, its answer and the fix;
 * its credentials are never part of a message.
 */
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { classifyNetworkError, hostPort, NetworkError, type Endpoint } from './network-errors.js';
import type { ProxyServer } from './proxy-env.js';

/** A proxy's answer to CONNECT is a few hundred bytes; anything past this is not one. */
const MAX_ANSWER_HEAD = 64 * 1024;

export interface TunnelOptions {
  /** Called with each socket as it is opened, so the caller can destroy it (timeout, abort). */
  track: (socket: Socket) => void;
  certsDir: string;
}

/** Opens a connection to `proxy` and asks it for a tunnel to `target`; resolves with the tunnel's socket. */
export function openTunnel(proxy: ProxyServer, target: Endpoint, options: TunnelOptions): Promise<Socket> {
  const host = proxy.url.hostname.replace(/^\[(.*)\]$/, '$1');
  const secure = proxy.url.protocol === 'https:';
  const port = Number(proxy.url.port || (secure ? 443 : 80));
  const authority = hostPort(target);
  const context = { target, proxy, atProxy: true, certsDir: options.certsDir, connected: false };
  return new Promise<Socket>((resolve, reject) => {
    const socket = secure ? tlsConnect({ host, port, ...(isIP(host) === 0 ? { servername: host } : {}) }) : netConnect({ host, port });
    options.track(socket);
    let head = Buffer.alloc(0);
    let settled = false;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      reject(error instanceof NetworkError ? error : classifyNetworkError(error, context));
    };
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > MAX_ANSWER_HEAD) fail(refused(proxy, authority, 'an answer that is not HTTP', false));
        return;
      }
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('error', fail);
      const statusLine = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
      const status = Number(match?.[1] ?? 0);
      if (status < 200 || status > 299) {
        fail(refused(proxy, authority, match ? `${status}${match[2] ? ` ${match[2]}` : ''}` : `"${statusLine.slice(0, 80)}"`, status === 502 || status === 503 || status === 504, status));
        return;
      }
      settled = true;
      socket.pause();
      const rest = head.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      resolve(socket);
    };
    const onEnd = (): void => fail(Object.assign(new Error('the proxy closed the connection before answering CONNECT'), { code: 'ECONNRESET' }));
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      const lines = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`];
      if (proxy.authorization) lines.push(`Proxy-Authorization: ${proxy.authorization}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('error', fail);
  });
}

/** The one line for a proxy that would not open the tunnel. */
function refused(proxy: ProxyServer, authority: string, answer: string, transient: boolean, status?: number): NetworkError {
  let fix: string;
  if (status === 407) {
    fix = proxy.authorization
      ? `check the credentials in ${proxy.variable}`
      : `the proxy wants credentials: put them in ${proxy.variable} as ${proxy.url.protocol}//user:password@${proxy.url.host}`;
  } else if (transient) {
    fix = `the proxy could not reach ${authority}: check the name and port, or try again`;
  } else {
    fix = `the proxy does not allow this destination: ask its administrator, or list the host in NO_PROXY if it is reachable without the proxy`;
  }
  return new NetworkError(`the proxy ${proxy.display} refused CONNECT to ${authority} (${answer}): ${fix}`, {
    kind: status === 407 ? 'proxy-auth' : 'proxy-refused',
    transient,
    nothingSent: true,
    code: status === undefined ? undefined : `HTTP_${status}`,
  });
}
