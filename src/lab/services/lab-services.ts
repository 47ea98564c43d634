/**
 * Starts the lab's network services: one listener per planted (address, port), on the standard port
 * plus `portOffset` (0 when the lab may bind low ports; tests and unprivileged labs shift every service
 * port by one offset, and the lab state records it so `scan --lab` tries the shifted ports). Nothing
 * listens on any other port of a lab address: those ports are closed (RST), as the truth says.
 */
import type http from 'node:http';
import net from 'node:net';
import { elasticsearchServer, serveMongodb, serveMysql, servePostgres, serveRedis } from './databases.js';
import { serveFtp, serveSmb } from './file-sharing.js';
import { serveMssql, serveOracle } from './mssql-oracle.js';
import { serveDicom, serveHl7, serveSip } from './healthcare.js';
import { serveSmtp, serveSsh } from './mail-ssh.js';
import type { LabService, LabServiceHost, LabServiceKind } from './plan.js';
import { serveRdp, serveTelnet, serveVnc } from './remote-access.js';

type Handler = (socket: net.Socket, service: LabService, address: string) => void;

const HANDLERS: Record<Exclude<LabServiceKind, 'elasticsearch'>, Handler> = {
  rdp: serveRdp,
  smb: serveSmb,
  telnet: serveTelnet,
  ftp: serveFtp,
  vnc: serveVnc,
  mysql: serveMysql,
  postgresql: servePostgres,
  redis: serveRedis,
  mongodb: serveMongodb,
  mssql: serveMssql,
  oracle: serveOracle,
  dicom: serveDicom,
  hl7: serveHl7,
  smtp: serveSmtp,
  ssh: serveSsh,
  sip: serveSip,
};

export interface LabServices {
  /** Every standard service port the lab uses, and the port it actually listens on. */
  ports: ReadonlyMap<number, number>;
  listeners: number;
  close(): Promise<void>;
}

/** The port a service with standard port `port` listens on. */
export function shiftedPort(port: number, offset: number): number {
  return port + offset;
}

export async function startLabServices(hosts: readonly LabServiceHost[], portOffset: number): Promise<LabServices> {
  const servers: Array<net.Server | http.Server> = [];
  const sockets = new Set<net.Socket>();
  const ports = new Map<number, number>();
  const close = async (): Promise<void> => {
    for (const socket of sockets) socket.destroy();
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  };
  try {
    for (const host of hosts) {
      for (const service of host.services) {
        const server =
          service.kind === 'elasticsearch'
            ? elasticsearchServer(service)
            : net.createServer((socket) =>
                HANDLERS[service.kind as Exclude<LabServiceKind, 'elasticsearch'>](socket, service, host.address),
              );
        server.on('connection', (socket: net.Socket) => {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
        });
        const port = shiftedPort(service.port, portOffset);
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen({ port, host: host.address, exclusive: true }, () => {
            server.off('error', reject);
            resolve();
          });
        });
        servers.push(server);
        ports.set(service.port, port);
      }
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { ports, listeners: servers.length, close };
}
