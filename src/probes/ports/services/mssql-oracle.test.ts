/**
 * Microsoft SQL Server (TDS PRELOGIN) and Oracle (TNS CONNECT) identification: against the lab's servers
 * on loopback (named by protocol on ports that suggest nothing, the engine and version in `net.db.exposed`
 * evidence, SQL Server's version read as a CPE by the patching probe), and against hostile replies:
 * garbage, truncated packets, lengths past the packet or past the cap, option offsets outside it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { NetworkGuard } from '../../../net/guarded-socket.js';
import { databaseCheck } from '../../../checks/network_security/network-security.checks.js';
import { softwareFromServices } from '../../patching/software.probe.js';
import { type LabServices, startLabServices } from '../../../lab/services/lab-services.js';
import type { LabServiceHost } from '../../../lab/services/plan.js';
import type { PortService, ServiceObservation } from '../ports.types.js';
import { ProtocolMismatch } from './conversation.js';
import { identifyService } from './identify.js';
import {
  MAX_TDS_PACKET,
  mssqlProtocol,
  parsePreloginReply,
  preloginPayload,
  preloginRequest,
  TDS_TABULAR_RESULT,
  tdsPacket,
} from './mssql.js';
import { MAX_TNS_PACKET, oracleProtocol, parseTnsReply, tnsConnect, vsnnumVersion } from './oracle-tns.js';

const tuning = { connectTimeoutMs: 1000, readTimeoutMs: 1500, bannerWaitMs: 400 };

describe('SQL Server and Oracle on the lab', () => {
  let services: LabServices;
  const offset = 20000 + Math.floor(Math.random() * 18000);
  const hosts: LabServiceHost[] = [
    {
      organization: 't',
      address: '127.251.0.1',
      services: [{ kind: 'mssql', port: 1433, weak: true, version: '13.0.1601' }],
    },
    {
      organization: 't',
      address: '127.251.0.2',
      services: [{ kind: 'mssql', port: 1433, weak: false, version: '16.0.1000' }],
    },
    {
      organization: 't',
      address: '127.251.0.3',
      services: [{ kind: 'oracle', port: 1521, weak: false, version: '11.2.0.4.0' }],
    },
  ];
  before(async () => {
    services = await startLabServices(hosts, offset);
  });
  after(async () => {
    await services.close();
  });

  const identify = (host: LabServiceHost): Promise<PortService> =>
    identifyService(
      { guard: new NetworkGuard(), address: host.address, port: host.services[0]!.port + offset, tuning },
      20_000,
    );

  test('SQL Server: version and encryption from PRELOGIN, the engine in net.db.exposed, a CPE', async () => {
    const [weak, strong] = [await identify(hosts[0]!), await identify(hosts[1]!)];
    assert.deepEqual(weak.identified && weak.service, { name: 'mssql', version: '13.0.1601', encryption: 'off' });
    assert.deepEqual(strong.identified && strong.service, {
      name: 'mssql',
      version: '16.0.1000',
      encryption: 'required',
    });
    const observation: ServiceObservation = {
      addresses: [
        { address: hosts[0]!.address, hosts: ['sql.example.test'], refused: null, undecided: [], services: [weak] },
      ],
    };
    const out = databaseCheck.judge({ domain: 'example.test' }, [observation] as never);
    assert.deepEqual(
      out.findings.map((f) => [f.type, f.evidence['engine'], f.evidence['version'], f.evidence['encryption']]),
      [['net.db.exposed', 'Microsoft SQL Server', '13.0.1601', 'off']],
    );
    assert.deepEqual(out.notAssessed, []);
    const software = softwareFromServices(observation);
    assert.deepEqual(
      software.map((s) => [s.source, s.cpe]),
      [['mssql-prelogin', 'cpe:2.3:a:microsoft:sql_server:13.0.1601:*:*:*:*:*:*:*']],
    );
  });

  test('Oracle: a TNS REFUSE names the listener, VSNNUM its version; net.db.exposed names Oracle', async () => {
    const result = await identify(hosts[2]!);
    assert.deepEqual(result.identified && result.service, { name: 'oracle', version: '11.2.0.4.0', reply: 'refuse' });
    const observation: ServiceObservation = {
      addresses: [
        { address: hosts[2]!.address, hosts: ['ora.example.test'], refused: null, undecided: [], services: [result] },
      ],
    };
    const out = databaseCheck.judge({ domain: 'example.test' }, [observation] as never);
    assert.deepEqual(
      out.findings.map((f) => [f.type, f.evidence['engine'], f.evidence['version']]),
      [['net.db.exposed', 'Oracle', '11.2.0.4.0']],
    );
  });
});

/** PRELOGIN reply with the given option table (offsets as given, not computed). */
function rawPrelogin(payload: Buffer, length = 8 + payload.length): Buffer {
  const packet = tdsPacket(TDS_TABULAR_RESULT, payload);
  packet.writeUInt16BE(length & 0xffff, 2);
  return packet;
}

const mismatchOf = (parse: () => unknown): boolean => {
  try {
    parse();
    return false;
  } catch (error) {
    return error instanceof ProtocolMismatch;
  }
};

describe('hostile PRELOGIN replies', () => {
  const good = rawPrelogin(
    preloginPayload([
      [0, Buffer.from([15, 0, 0x07, 0xd0, 0, 0])],
      [1, Buffer.from([2])],
    ]),
  );

  test('a well-formed reply parses; each truncation of it is incomplete, never a misreading', () => {
    assert.deepEqual(parsePreloginReply(good)?.value, { version: '15.0.2000', encryption: 'not_supported' });
    for (let cut = 1; cut < good.length; cut++) assert.equal(parsePreloginReply(good.subarray(0, cut)), undefined);
  });

  test('garbage, another packet type, and lengths under the header or over the cap are mismatches', () => {
    assert.ok(mismatchOf(() => parsePreloginReply(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'))));
    assert.ok(
      mismatchOf(() => parsePreloginReply(preloginRequest())),
      'a PRELOGIN request is not a reply',
    );
    assert.ok(mismatchOf(() => parsePreloginReply(rawPrelogin(Buffer.from([0xff]), 4))));
    assert.ok(mismatchOf(() => parsePreloginReply(rawPrelogin(Buffer.from([0xff]), MAX_TDS_PACKET + 1))));
    assert.ok(mismatchOf(() => parsePreloginReply(rawPrelogin(Buffer.from([0xff]), 0xffff))));
  });

  test('option data outside the packet, a token cut short and a missing terminator are mismatches', () => {
    // VERSION said to be 6 bytes at offset 0xfff0: past the end.
    assert.ok(mismatchOf(() => parsePreloginReply(rawPrelogin(Buffer.from([0, 0xff, 0xf0, 0, 6, 0xff])))));
    // Length that overflows past the end from a valid offset.
    assert.ok(mismatchOf(() => parsePreloginReply(rawPrelogin(Buffer.from([0, 0, 6, 0xff, 0xff, 0xff, 1])))));
    assert.ok(mismatchOf(() => parsePreloginReply(rawPrelogin(Buffer.from([0, 0, 5])))));
    assert.ok(mismatchOf(() => parsePreloginReply(rawPrelogin(Buffer.from([1, 0, 5, 0, 1, 2])))));
  });

  test('a VERSION too short to hold a version and an unknown ENCRYPTION value are reported as unknown', () => {
    const odd = rawPrelogin(
      preloginPayload([
        [0, Buffer.from([15, 0])],
        [1, Buffer.from([9])],
      ]),
    );
    assert.deepEqual(parsePreloginReply(odd)?.value, { version: null, encryption: 'unknown' });
  });
});

describe('hostile TNS replies', () => {
  const refuse = (text: string, declared = text.length): Buffer => {
    const packet = Buffer.alloc(12 + text.length);
    packet.writeUInt16BE(packet.length, 0);
    packet[4] = 4;
    packet[8] = 0x22;
    packet.writeUInt16BE(declared, 10);
    packet.write(text, 12, 'latin1');
    return packet;
  };

  test('a REFUSE with VSNNUM parses; each truncation is incomplete', () => {
    const good = refuse('(DESCRIPTION=(TMP=)(VSNNUM=318767104)(ERR=1189))');
    assert.deepEqual(parseTnsReply(good)?.value, {
      kind: 'refuse',
      data: '(DESCRIPTION=(TMP=)(VSNNUM=318767104)(ERR=1189))',
      version: '19.0.0.0.0',
    });
    for (let cut = 1; cut < good.length; cut++) assert.equal(parseTnsReply(good.subarray(0, cut)), undefined);
    assert.equal(vsnnumVersion(0x0b200400), '11.2.0.4.0');
  });

  test('garbage, a CONNECT, other types, lengths under the header or over the cap are mismatches', () => {
    assert.ok(mismatchOf(() => parseTnsReply(Buffer.from('SSH-2.0-OpenSSH_9.6\r\n'))));
    assert.ok(
      mismatchOf(() => parseTnsReply(tnsConnect())),
      'a CONNECT is not a reply',
    );
    const short = refuse('x');
    short.writeUInt16BE(4, 0);
    assert.ok(mismatchOf(() => parseTnsReply(short)));
    const huge = refuse('x');
    huge.writeUInt16BE(MAX_TNS_PACKET + 1, 0);
    assert.ok(mismatchOf(() => parseTnsReply(huge)));
  });

  test('data longer than the packet, a REFUSE cut before its data length, and absurd VSNNUM values', () => {
    assert.ok(mismatchOf(() => parseTnsReply(refuse('(ERR=1189)', 0xffff))));
    const cut = Buffer.from([0, 10, 0, 0, 4, 0, 0, 0, 0x22, 0]);
    assert.ok(mismatchOf(() => parseTnsReply(cut)));
    assert.equal(parseTnsReply(refuse('(VSNNUM=99999999999)'))?.value.version, null);
    assert.equal(parseTnsReply(refuse('(VSNNUM=-1)'))?.value.version, null);
  });
});

describe('hostile servers answering TDS and TNS', () => {
  const replies: Array<[string, Buffer]> = [
    ['a TDS header promising 4096 bytes, then silence', rawPrelogin(Buffer.from([0xff]), MAX_TDS_PACKET)],
    ['a TDS reply whose VERSION lies past the packet', rawPrelogin(Buffer.from([0, 0xff, 0xf0, 0, 6, 0xff]))],
    ['a TNS header promising 8192 bytes, then silence', Buffer.from([0x20, 0, 0, 0, 4, 0, 0, 0, 0x22, 0])],
    ['binary garbage', Buffer.from([0x04, 0xff, 0x00, 0x01, 0x02, 0xff, 0xfe, 0x00, 0x13])],
  ];
  const servers: net.Server[] = [];
  after(() => {
    for (const s of servers) s.close();
  });

  for (const [name, reply] of replies) {
    test(`${name}: neither SQL Server nor Oracle`, async () => {
      const sockets = new Set<net.Socket>();
      const server = net.createServer((socket) => {
        sockets.add(socket);
        socket.on('error', () => undefined);
        socket.once('data', () => socket.write(reply));
      });
      server.on('close', () => {
        for (const s of sockets) s.destroy();
      });
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as net.AddressInfo).port;
      const ctx = { guard: new NetworkGuard(), address: '127.0.0.1', port, tuning: { ...tuning, readTimeoutMs: 300 } };
      const outcomes = [await mssqlProtocol.probe(ctx), await oracleProtocol.probe(ctx)];
      for (const outcome of outcomes) assert.ok('mismatch' in outcome, JSON.stringify(outcome));
    });
  }
});
