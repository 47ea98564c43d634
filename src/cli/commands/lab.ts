/** `vitals lab up | down | status | truth | serve`: the simulated internet of healthcare organizations. */
import { spawn } from 'node:child_process';
import { openSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { resolveHome } from '../context.js';
import { CliError } from '../errors.js';
import { renderTable, writeJson } from '../output.js';
import { addHomeOption, parseIntegerOption } from '../options.js';
import {
  ensurePrivateHome,
  isProcessAlive,
  labFiles,
  readLabState,
  removeLabState,
  startLab,
  writeLabState,
  servicePortsRecord,
  labPortList,
  type LabState,
} from '../../lab/lab-runner.js';
import { buildLabWorld } from '../../lab/world/world.js';
import { checkLabProcess, isLabRunning, processStartToken } from '../../lab/lab-process.js';
import { DEFAULT_CORPUS_DOCUMENTS, MAX_CORPUS_DOCUMENTS } from '../../lab/darkweb/corpus/index.js';
import { ExitStatus } from '../../core/errors.js';
import { LabStatusOutput, LabTruthOutput } from '../../output/schemas.js';

import { labHistoryCommand } from './lab-history.js';
import { LAB_FEEDS } from '../../lab/world/reputation.js';
import { join } from 'node:path';

const MAX_ORGS = 30000;

export function labCommand(): Command {
  const lab = new Command('lab').description(
    'run the lab: a deterministic simulated internet of fictional healthcare organizations on loopback addresses',
  );

  addHomeOption(
    lab
      .command('up')
      .description(
        'start the lab in the background (DNS on 127.x.y.z addresses); writes its trust anchor, CT log, ' +
          'organizations and ground truth under <home>/lab/',
      )
      .option('--seed <n>', 'seed of the simulated world', '1')
      .option('--orgs <n>', 'number of organizations (1 to 30000)', '25')
      .option(
        '--documents <n>',
        'documents of the dark-web corpus written to <home>/lab/darkweb/ (1 to 1000000)',
        String(DEFAULT_CORPUS_DOCUMENTS),
      )
      .option('--dns-port <port>', 'DNS port for every lab address (default 53, or 10053 where 53 cannot be bound)')
      .option(
        '--web-port <port>',
        "HTTP port of the lab's web sites (default 80, or 10080 where 80 cannot be bound); HTTPS is the TLS port",
      )
      .option('--foreground', 'run in the foreground until interrupted'),
  ).action(
    async (options: {
      seed: string;
      orgs: string;
      documents: string;
      dnsPort?: string;
      webPort?: string;
      foreground?: boolean;
      home?: string;
    }) => {
      const home = resolveHome(options);
      const seed = parseIntegerOption(options.seed, '--seed', 0, 2 ** 31);
      const orgs = parseIntegerOption(options.orgs, '--orgs', 1, MAX_ORGS);
      const documents = parseIntegerOption(options.documents, '--documents', 1, MAX_CORPUS_DOCUMENTS);
      const port =
        options.dnsPort === undefined ? undefined : parseIntegerOption(options.dnsPort, '--dns-port', 1, 65535);
      const existing = readLabState(home);
      if (existing && isLabRunning(existing))
        throw new CliError(
          `a lab is already running (pid ${existing.pid}, resolver ${existing.resolver}); run \`vitals lab ` +
            `down\` first`,
        );
      const webPort = parseWebPort(options.webPort);
      if (options.foreground) {
        await serveInForeground(home, seed, orgs, port, documents, webPort);
        return;
      }
      await startInBackground(home, seed, orgs, port, documents, webPort);
    },
  );

  addHomeOption(
    lab
      .command('serve', { hidden: true })
      .description('serve the lab in this process (what `lab up` starts in the background)')
      .option('--seed <n>', 'seed', '1')
      .option('--orgs <n>', 'organizations', '25')
      .option('--documents <n>', 'dark-web corpus documents', String(DEFAULT_CORPUS_DOCUMENTS))
      .option('--dns-port <port>', 'DNS port')
      .option('--web-port <port>', 'HTTP port of the web sites'),
  ).action(async (options: LabServeOptions) => {
    const port =
      options.dnsPort === undefined ? undefined : parseIntegerOption(options.dnsPort, '--dns-port', 1, 65535);
    await serveInForeground(
      resolveHome(options),
      parseIntegerOption(options.seed, '--seed', 0, 2 ** 31),
      parseIntegerOption(options.orgs, '--orgs', 1, MAX_ORGS),
      port,
      parseIntegerOption(options.documents, '--documents', 1, MAX_CORPUS_DOCUMENTS),
      parseWebPort(options.webPort),
    );
  });

  addHomeOption(lab.command('down').description('stop the lab started by `vitals lab up`')).action(
    async (options: { home?: string }) => {
      const home = resolveHome(options);
      const state = readLabState(home);
      if (!state) {
        process.stdout.write('no lab is running\n');
        return;
      }
      const check = checkLabProcess(state.pid, state.startToken);
      if (check.status !== 'lab') {
        // A stale or edited state file: say so and signal nothing.
        removeLabState(home);
        process.stdout.write(
          `no lab is running: ${check.reason}; nothing was signalled, the stale state was removed\n`,
        );
        return;
      }
      process.kill(state.pid, 'SIGTERM');
      const deadline = Date.now() + 10_000;
      while (isLabRunning(state) && Date.now() < deadline) await sleep(50);
      if (isLabRunning(state)) process.kill(state.pid, 'SIGKILL');
      removeLabState(home);
      process.stdout.write(`lab stopped (pid ${state.pid})\n`);
    },
  );

  addHomeOption(
    lab
      .command('status')
      .description('say whether the lab runs, where, and how to scan it')
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table')),
  ).action((options: { home?: string; format: string }) => {
    const home = resolveHome(options);
    const state = readLabState(home);
    const running = state !== null && isLabRunning(state);
    if (options.format === 'json') {
      writeJson(process.stdout, LabStatusOutput, { running, ...(state ?? {}) });
      return;
    }
    if (!state || !running) {
      process.stdout.write(
        `the lab is not running (start it with \`vitals lab up\`; it writes its files under ${labFiles(home).dir})\n`,
      );
      if (state && !running) removeLabState(home);
      process.exitCode = ExitStatus.failure;
      return;
    }
    process.stdout.write(describeLab(state));
  });

  addHomeOption(
    lab
      .command('truth')
      .description("print the lab's ground truth: every injected weakness and every deliberately good control")
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
      .option('--seed <n>', 'seed (when no lab is running)', '1')
      .option('--orgs <n>', 'organizations (when no lab is running)', '25'),
  ).action((options: { home?: string; format: string; seed: string; orgs: string }) => {
    const home = resolveHome(options);
    const state = readLabState(home);
    const truth =
      state && isLabRunning(state) && existsSync(state.files.truth)
        ? (JSON.parse(readFileSync(state.files.truth, 'utf8')) as ReturnType<typeof buildLabWorld>['truth'])
        : buildLabWorld({
            seed: parseIntegerOption(options.seed, '--seed', 0, 2 ** 31),
            orgs: parseIntegerOption(options.orgs, '--orgs', 1, MAX_ORGS),
          }).truth;
    if (options.format === 'json') {
      writeJson(process.stdout, LabTruthOutput, truth);
      return;
    }
    // A truth file written before the lab had feeds has no reputation list.
    const reputation = truth.reputation ?? [];
    process.stdout.write(
      renderTable(
        [...truth.weaknesses, ...reputation],
        [
          { header: 'organization', cell: (w) => w.organization },
          { header: 'finding', cell: (w) => w.type },
          { header: 'host', cell: (w) => w.host },
        ],
      ),
    );
    process.stdout.write(
      `\n${truth.weaknesses.length} injected weaknesses, ${reputation.length} IP reputation listings (found once ` +
        `the lab's feeds are imported), ${truth.controls.length} good controls, ${truth.organizations.length} ` +
        'organizations\n',
    );
  });

  lab.addCommand(labHistoryCommand());
  return lab;
}

/** The commands that import the lab's feed files, each with its category (plain lists do not name one). */
export function labFeedImportCommands(dir: string): string[] {
  return LAB_FEEDS.map((f) => `vitals feeds import ${join(dir, f.file)} --category ${f.category}`);
}

interface LabServeOptions {
  seed: string;
  orgs: string;
  documents: string;
  dnsPort?: string;
  webPort?: string;
  home?: string;
}

/** `--web-port PORT`: the HTTP port of the lab's web sites (their HTTPS is the TLS endpoints'). */
export function parseWebPort(value: string | undefined): number | undefined {
  return value === undefined ? undefined : parseIntegerOption(value, '--web-port', 1, 65535);
}

function describeLab(state: LabState): string {
  const portFlag =
    (state.port === 53 ? '' : ` --ns-port ${state.port}`) +
    (state.servicePorts ? ` --ports ${labPortList(state.servicePorts).join(',')}` : '');
  return [
    `lab running (pid ${state.pid}): ${state.orgs} organizations, seed ${state.seed}, since ${state.startedAt}`,
    `  resolver:      ${state.resolver}`,
    ...(state.web ? [`  web:           HTTP port ${state.web.http} (HTTPS: the TLS endpoints' https port)`] : []),
    `  trust anchor:  ${state.files.trustAnchor}`,
    `  CT log:        ${state.files.ct}`,
    `  organizations: ${state.files.organizations}`,
    `  ground truth:  ${state.files.truth}`,
    ...(state.tls === undefined
      ? []
      : [`  TLS:           ports ${state.tls.https} and ${state.tls.alt}, lab CA ${state.files.tlsCa}`]),
    ...(state.files.feeds === undefined ? [] : [`  threat feeds:  ${state.files.feeds}`]),
    ...(state.servicePorts
      ? [`  services:      shifted to ${Object.values(state.servicePorts).join(', ')} (standard ports not bindable)`]
      : []),
    ...(state.files.darkwebCorpus === undefined
      ? []
      : [
          `  dark-web corpus: ${state.files.darkwebCorpus} (truth: ${state.files.darkwebTruth}, ` +
            `${state.files.darkwebTruthLines})`,
        ]),
    '',
    'scan it with:',
    `  vitals orgs import ${state.files.organizations}`,
    `  vitals scan --all --lab            (or: --resolver ${state.resolver}${portFlag} --trust-anchor ` +
      `${state.files.trustAnchor} --ct ${state.files.ct} --allow-private)`,
    ...(state.files.feeds === undefined ? [] : labFeedImportCommands(state.files.feeds).map((c) => `  ${c}`)),
    ...(state.files.darkwebCorpus === undefined ? [] : [`  vitals darkweb ingest ${state.files.darkwebCorpus}`]),
    ...(state.darkweb === undefined
      ? []
      : [`  vitals darkweb crawl ${state.darkweb.seeds.join(' ')} --proxy ${state.darkweb.proxy}`]),
    '',
  ].join('\n');
}

async function serveInForeground(
  home: string,
  seed: number,
  orgs: number,
  port: number | undefined,
  documents: number,
  webPort: number | undefined,
): Promise<void> {
  const lab = await startLab({
    seed,
    orgs,
    port,
    home,
    documents,
    hiddenServices: true,
    ...(webPort !== undefined ? { webPort } : {}),
  });
  const hidden = lab.hiddenServices;
  const servicePorts = servicePortsRecord(lab.services);
  const startToken = processStartToken(process.pid);
  const state: LabState = {
    pid: process.pid,
    ...(startToken === undefined ? {} : { startToken }),
    seed,
    orgs,
    port: lab.port,
    resolver: lab.port === 53 ? lab.resolverAddress : `${lab.resolverAddress}:${lab.port}`,
    startedAt: new Date().toISOString(),
    files: lab.files,
    tls: lab.tls.ports,
    web: { http: lab.webPorts.http },
    ...(hidden
      ? { darkweb: { proxy: `socks5h://${hidden.proxy.host}:${hidden.proxy.port}`, seeds: hidden.seeds } }
      : {}),
    ...(servicePorts ? { servicePorts } : {}),
  };
  writeLabState(state);
  process.stdout.write(describeLab(state));
  await new Promise<void>((resolveStop) => {
    const stop = (): void => resolveStop();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await lab.stop();
  const current = readLabState(home);
  if (current?.pid === process.pid) removeLabState(home);
}

async function startInBackground(
  home: string,
  seed: number,
  orgs: number,
  port: number | undefined,
  documents: number,
  webPort: number | undefined,
): Promise<void> {
  const files = labFiles(home);
  ensurePrivateHome(home);
  removeLabState(home);
  const log = openSync(files.log, 'a');
  const bin = fileURLToPath(new URL('../../../../bin/vitals.js', import.meta.url));
  const args = [
    bin,
    'lab',
    'serve',
    '--home',
    home,
    '--seed',
    String(seed),
    '--orgs',
    String(orgs),
    '--documents',
    String(documents),
  ];
  if (port !== undefined) args.push('--dns-port', String(port));
  if (webPort !== undefined) args.push('--web-port', String(webPort));
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  // The dark-web corpus is written before the lab reports ready: about 0.2 ms per document.
  const deadline = Date.now() + 120_000 + documents * 0.5;
  while (Date.now() < deadline) {
    const state = readLabState(home);
    if (state && state.pid === child.pid) {
      process.stdout.write(describeLab(state));
      return;
    }
    if (child.exitCode !== null || (child.pid !== undefined && !isProcessAlive(child.pid))) break;
    await sleep(50);
  }
  const tail = existsSync(files.log) ? readFileSync(files.log, 'utf8').split('\n').slice(-15).join('\n') : '';
  throw new CliError(`the lab did not start; its log (${files.log}) ends with:\n${tail}`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
