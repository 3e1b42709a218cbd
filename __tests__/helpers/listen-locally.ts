/**
 * A test server on 127.0.0.1 at a free port, whose close() first cuts the
 * connections still open: node's server.close() waits for them, and a test's
 * clients may leave kept-alive ones idle.
 */
import type { AddressInfo, Server, Socket } from 'node:net';

export interface LocalListener {
  readonly port: number;
  close(): Promise<void>;
}

export async function listenLocally(server: Server): Promise<LocalListener> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
