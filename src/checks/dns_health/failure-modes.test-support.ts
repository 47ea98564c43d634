/**
 * Test support (not shipped behaviour): runs one probe and its check against a hostile loopback
 * resolver in each mode of src/probes/dns/hostile-dns.test-support.ts, for the table-driven
 * "absence of data vs failure to get it" tests of every DNS check.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckOutcome } from '../../core/types.js';
import { createDnsClient } from '../../net/dns/dns-client.js';
import type { DnsClient } from '../../net/dns/dns-client.types.js';
import { randomLoopbackNet } from '../../probes/dns/dns-infra.test-helpers.js';
import type { DnsProbeContext } from '../../probes/dns/dns-probe-context.js';
import { ABSENCE_MODES, FAILURE_MODES, startHostileResolver } from '../../probes/dns/hostile-dns.test-support.js';
import type { HostileMode, HostileResolver } from '../../probes/dns/hostile-dns.test-support.js';

export interface FailureModeTable {
  /** What is judged, for the test names. */
  label: string;
  /** Probe and check one apex through `ctx`. */
  run(ctx: DnsProbeContext): Promise<CheckOutcome>;
  /** Finding types expected when the resolver says the data does not exist, per absence mode. */
  absence: Record<(typeof ABSENCE_MODES)[number], string[]>;
  /** Checks that must be reported not assessed (with no finding at all) for every failure mode. */
  notAssessed: string[];
}

/** One test per mode: absence gives exactly the expected findings; a failure gives none, only not-assessed. */
export function failureModeTable(table: FailureModeTable): void {
  describe(`${table.label}: absence of data vs failure to get it`, () => {
    const { x, y } = randomLoopbackNet();
    const modes: HostileMode[] = [...ABSENCE_MODES, ...FAILURE_MODES];
    const resolvers = new Map<HostileMode, HostileResolver>();
    let client: DnsClient;
    before(async () => {
      client = createDnsClient();
      for (const [i, mode] of modes.entries()) {
        resolvers.set(mode, await startHostileResolver(`127.${x}.${y}.${100 + i}`, mode));
      }
    });
    after(async () => {
      await client.close();
      await Promise.all([...resolvers.values()].map((r) => r.close()));
    });
    const context = (mode: HostileMode): DnsProbeContext => {
      const resolver = resolvers.get(mode)!;
      return {
        client,
        resolver: { address: resolver.address, port: resolver.port },
        nameServerPort: resolver.port,
        queryOptions: { timeoutMs: 300, retries: 0 },
        now: () => 1_750_000_000,
      };
    };
    const findingTypes = (out: CheckOutcome): string[] => out.findings.map((f) => f.type).sort();

    for (const mode of ABSENCE_MODES) {
      test(`${mode}: ${table.absence[mode].join(', ') || 'no finding'}`, async () => {
        assert.deepEqual(findingTypes(await table.run(context(mode))), [...table.absence[mode]].sort());
      });
    }
    for (const mode of FAILURE_MODES) {
      test(`${mode}: no finding; not assessed: ${table.notAssessed.join(', ')}`, async () => {
        const out = await table.run(context(mode));
        assert.deepEqual(findingTypes(out), [], JSON.stringify(out.findings));
        const reported = new Set(out.notAssessed.map((n) => n.check));
        for (const check of table.notAssessed) assert.ok(reported.has(check), `${check} not assessed under ${mode}`);
      });
    }
  });
}
