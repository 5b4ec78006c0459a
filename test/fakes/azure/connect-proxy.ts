import net from 'node:net';

/** A running forward proxy and the `host:port` targets it tunnelled to. */
export interface FakeConnectProxy {
  url: string;
  targets: string[];
  stop(): Promise<void>;
}

/**
 * Starts an HTTP CONNECT proxy on `127.0.0.1:<ephemeral port>` that tunnels to loopback targets
 * only, recording each target, so a test can tell that SDK traffic went through the proxy.
 */
export async function startConnectProxy(): Promise<FakeConnectProxy> {
  const targets: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    client.once('data', (head) => {
      const target = /^CONNECT ([^\s]+) HTTP\/1\.[01]\r\n/.exec(head.toString('latin1'))?.[1];
      const [host, port] = target?.split(':') ?? [];
      if (!target || host !== '127.0.0.1' || !port) {
        client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
        return;
      }
      targets.push(target);
      const upstream = net.connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client);
        client.pipe(upstream);
      });
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    targets,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
