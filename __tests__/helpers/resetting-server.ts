/**
 * A TCP port that takes every connection and resets it at once (RST, no byte answered): a registry host that is
 * down behind a load balancer, or a port a firewall resets. Unlike a closed port it can count the connection
 * attempts, so a test can tell how many tries a client made without timing it.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ResettingServer {
  /** `127.0.0.1:PORT`. */
  host: string;
  /** Connections accepted (and reset) so far. */
  connections(): number;
  close(): Promise<void>;
}

export async function startResettingServer(): Promise<ResettingServer> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    connections++;
    socket.on('error', () => undefined);
    socket.resetAndDestroy();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
