/**
 * Every lab service, weak and strong, identified by the scanner's protocol modules over real sockets on
 * loopback: the service named, and its weakness seen exactly when planted. Ports are shifted by a random
 * offset (the standard ones need root), so nothing here leans on port numbers.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NetworkGuard } from '../../net/guarded-socket.js';
import type { IdentifiedService } from '../../probes/ports/ports.types.js';
import { identifyService } from '../../probes/ports/services/identify.js';
import { LAB_SERVICE_KINDS, type LabServiceHost, type LabServiceKind, VERSIONS } from './plan.js';
import { type LabServices, startLabServices } from './lab-services.js';

const tuning = { connectTimeoutMs: 1000, readTimeoutMs: 1500, bannerWaitMs: 400 };

/** What each kind's weakness looks like in the identified service. */
const WEAKNESS: Record<LabServiceKind, (s: IdentifiedService) => boolean | null> = {
  rdp: (s) => (s.name === 'rdp' && s.nlaRequired.assessed ? !s.nlaRequired.value : null),
  smb: (s) => (s.name === 'smb' && s.smb1.assessed ? s.smb1.value : null),
  telnet: () => null,
  ftp: (s) => (s.name === 'ftp' && s.anonymousLogin.assessed ? s.anonymousLogin.value : null),
  vnc: (s) => (s.name === 'vnc' && s.noneOffered.assessed ? s.noneOffered.value : null),
  mysql: (s) => (s.name === 'mysql' && s.noAuth.assessed ? s.noAuth.value : null),
  postgresql: (s) => (s.name === 'postgresql' && s.noAuth.assessed ? s.noAuth.value : null),
  redis: (s) => (s.name === 'redis' && s.noAuth.assessed ? s.noAuth.value : null),
  mongodb: (s) => (s.name === 'mongodb' && s.noAuth.assessed ? s.noAuth.value : null),
  elasticsearch: (s) => (s.name === 'elasticsearch' && s.noAuth.assessed ? s.noAuth.value : null),
  mssql: () => null,
  oracle: () => null,
  dicom: (s) => (s.name === 'dicom' && s.echo.assessed ? s.associationAccepted && s.echo.value : null),
  hl7: () => null,
  smtp: (s) => (s.name === 'smtp' ? !s.starttls : null),
  ssh: (s) => (s.name === 'ssh' && s.passwordAuth.assessed ? s.passwordAuth.value : null),
  sip: () => null,
};
const HAS_WEAKNESS = new Set<LabServiceKind>(['rdp', 'smb', 'ftp', 'vnc', 'mysql', 'postgresql', 'redis', 'mongodb']);
for (const k of ['elasticsearch', 'dicom', 'smtp', 'ssh'] as const) HAS_WEAKNESS.add(k);

describe('lab services as the scanner sees them', () => {
  let services: LabServices;
  const offset = 20000 + Math.floor(Math.random() * 18000);
  // One address per kind and strength, in a block no lab world uses.
  const hosts: LabServiceHost[] = LAB_SERVICE_KINDS.flatMap((kind, i) =>
    [true, false].map((weak) => ({
      organization: 'test',
      address: `127.250.${weak ? 1 : 2}.${i + 1}`,
      services: [{ kind, port: 1000 + i, weak, version: VERSIONS[kind][0]! }],
    })),
  );
  before(async () => {
    services = await startLabServices(hosts, offset);
  });
  after(async () => {
    await services.close();
  });

  for (const host of hosts) {
    const service = host.services[0]!;
    test(`${service.kind} (${service.weak ? 'weak' : 'strong'})`, async () => {
      const result = await identifyService(
        { guard: new NetworkGuard(), address: host.address, port: service.port + offset, tuning },
        20_000,
      );
      assert.ok(result.identified, `not identified: ${result.identified ? '' : result.reason}`);
      const expectedName = service.kind;
      assert.equal(result.service.name, expectedName);
      if (HAS_WEAKNESS.has(service.kind)) assert.equal(WEAKNESS[service.kind](result.service), service.weak);
    });
  }
});
