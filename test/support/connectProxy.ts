/**
 * A minimal HTTP CONNECT proxy on 127.0.0.1 that records which hosts were tunnelled to and what the client
 * sent through the tunnels; `hosts` resolves made-up names, so that tests can proxy a host that is not local.
 */

import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export class ConnectProxy {
  readonly tunnels: string[] = [];
  private readonly sent: Buffer[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  static async start(hosts: Readonly<Record<string, string>> = {}): Promise<ConnectProxy> {
    const server = createServer((_req, res) => res.writeHead(405).end('CONNECT only'));
    const proxy = new ConnectProxy(server);
    server.on('connect', (req, client: Socket, head: Buffer) => {
      proxy.tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), hosts[host] ?? host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        proxy.sent.push(head);
        upstream.write(head);
        upstream.pipe(client);
        client.on('data', (chunk: Buffer) => proxy.sent.push(chunk));
        client.pipe(upstream);
      });
      for (const socket of [client, upstream]) {
        proxy.sockets.add(socket);
        socket.on('close', () => proxy.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** Everything clients sent through the tunnels (for plain http, the requests with their headers). */
  get sentText(): string {
    return Buffer.concat(this.sent).toString('latin1');
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.sockets.forEach((socket) => socket.destroy());
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
