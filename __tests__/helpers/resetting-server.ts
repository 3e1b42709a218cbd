/**
 * A TCP port that takes every connection and resets it at once (RST, no byte answered): a registry host that is
 * down behind a load balancer, or a port a firewall resets. Unlike a closed port it can count the connection
 * attempts, so a test can tell how many tries a client made without timing it.
 */
import { createServer, type Server } from 'node:net';
import { listenLocally } from './listen-locally.js';

export interface ResettingServer {
  /** `127.0.0.1:PORT`. */
  host: string;
  /** Connections accepted (and reset) so far. */
  connections(): number;
  close(): Promise<void>;
}

export async function startResettingServer(): Promise<ResettingServer> {
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections++;
    socket.on('error', () => undefined);
    socket.resetAndDestroy();
  });
  const listener = await listenLocally(server);
  return {
    host: `127.0.0.1:${listener.port}`,
    connections: () => connections,
    close: () => listener.close(),
  };
}
