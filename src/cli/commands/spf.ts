/**
 * `vitals spf check`: runs RFC 7208 check_host() for a domain, client address and sender, as pyspf's and
 * libspf2's command-line tools do, and prints the result, the explanation and the trace of terms with the
 * DNS questions each cost.
 */
import { isIP } from 'node:net';
import { Command, Option } from 'commander';
import { normalizeDomain } from '../../core/names.js';
import { checkHost, type CheckHostOutcome } from '../../email-auth/spf-evaluator/check-host.js';
import { spfDnsOverClient } from '../../email-auth/spf-evaluator/spf-dns.js';
import { isProcessAlive, readLabState } from '../../lab/lab-runner.js';
import { createDnsClient } from '../../net/dns/dns-client.js';
import { parseServer } from '../../net/dns/server-address.js';
import type { DnsServer } from '../../net/dns/dns-client.types.js';
import { resolveHome } from '../context.js';
import { CliError } from '../errors.js';
import { addHomeOption, parseIntegerOption, parseServerOption, systemResolver } from '../options.js';
import { renderTable, writeJson } from '../output.js';
import { SpfCheckOutput } from '../../output/schemas.js';

interface SpfCheckOptions {
  ip: string;
  helo?: string;
  sender?: string;
  resolver?: string;
  lab?: boolean;
  timeout: string;
  format: 'table' | 'json';
  home?: string;
}

export function spfCommand(): Command {
  const check = addHomeOption(
    new Command('check')
      .description('evaluate the SPF policy of DOMAIN for a client address (RFC 7208 check_host()), with a trace')
      .argument('<domain>', 'the domain whose policy is evaluated (the MAIL FROM or HELO domain)')
      .requiredOption('--ip <address>', 'the SMTP client address (IPv4 or IPv6)')
      .option('--helo <name>', 'the HELO/EHLO name (default: the domain)')
      .option('--sender <address>', 'the MAIL FROM address (default: postmaster@DOMAIN)')
      .option('--resolver <ip[:port]>', "DNS resolver to ask (default: the system's first name server)")
      .option('--lab', "ask the running lab's resolver")
      .option('--timeout <ms>', 'timeout of one DNS query in milliseconds', '2000')
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table')),
  ).action(async (domainArg: string, options: SpfCheckOptions) => {
    await runSpfCheck(domainArg, options);
  });
  return new Command('spf').description('SPF (RFC 7208) tools').addCommand(check);
}

async function runSpfCheck(domainArg: string, options: SpfCheckOptions): Promise<void> {
  const domain = normalizeDomain(domainArg);
  if (isIP(options.ip.trim()) === 0) throw new CliError(`--ip must be an IPv4 or IPv6 address, not "${options.ip}"`);
  const timeoutMs = parseIntegerOption(options.timeout, '--timeout', 50, 120_000);
  const sender = options.sender ?? `postmaster@${domain}`;
  if (!/^[^@\s]*@[^@\s]+$/.test(sender)) throw new CliError(`--sender must look like local@domain, not "${sender}"`);
  const resolver = chooseResolver(options);
  const client = createDnsClient();
  try {
    const dns = spfDnsOverClient(client, resolver, { timeoutMs, retries: 1 });
    const outcome = await checkHost({ ip: options.ip.trim(), sender, helo: options.helo ?? domain, domain }, dns);
    if (options.format === 'json')
      writeJson(process.stdout, SpfCheckOutput, toJson(domain, options.ip.trim(), sender, outcome));
    else process.stdout.write(renderOutcome(outcome));
  } finally {
    await client.close();
  }
}

function chooseResolver(options: SpfCheckOptions): DnsServer {
  if (options.resolver) return parseServerOption(options.resolver);
  if (options.lab) {
    const state = readLabState(resolveHome(options));
    if (!state || !isProcessAlive(state.pid)) {
      throw new CliError('--lab: no lab is running (start it with `vitals lab up`)');
    }
    return parseServer(state.resolver);
  }
  return systemResolver();
}

function toJson(domain: string, ip: string, sender: string, outcome: CheckHostOutcome): Record<string, unknown> {
  return {
    domain,
    ip,
    sender,
    result: outcome.result,
    explanation: outcome.explanation ?? null,
    reason: outcome.reason,
    lookups: outcome.lookups,
    void_lookups: outcome.voidLookups,
    trace: outcome.trace,
  };
}

function renderOutcome(outcome: CheckHostOutcome): string {
  const lines = [
    `result:      ${outcome.result}`,
    `reason:      ${outcome.reason}`,
    ...(outcome.explanation === undefined ? [] : [`explanation: ${outcome.explanation}`]),
    `lookups:     ${outcome.lookups} of 10 DNS-querying terms, ${outcome.voidLookups} of 2 void look-ups`,
    '',
  ];
  const table = renderTable(outcome.trace, [
    { header: 'depth', cell: (s) => String(s.depth), align: 'right' },
    { header: 'domain', cell: (s) => s.domain },
    { header: 'term', cell: (s) => s.term },
    { header: 'outcome', cell: (s) => s.outcome },
    { header: 'dns questions', cell: (s) => s.queries.join(', ') },
  ]);
  return `${lines.join('\n')}\n${table}`;
}
