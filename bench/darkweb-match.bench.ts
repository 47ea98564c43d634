/**
 * Dark-web matching benchmark (issue #3 section 8): 30,000 organizations' terms over 1 GB of generated
 * forum/paste-like text, Vitals' Aho–Corasick automaton side by side with `grep -F -i -c -f` (LC_ALL=C)
 * and `rg -F -i -c -f` on the very same pattern file and text file. Reports each one's throughput and
 * whether their counts of matching lines agree; then the org matcher (word boundaries and mention
 * rules, per 4 KB document) and `extractEntities` on the same text.
 *
 * grep -i and rg -i are pathological with tens of thousands of patterns (shared reference,
 * dependencies.md §12), so each tool gets a time budget; past it, it is measured on a prefix of the
 * text (1 MB, then the largest of 64 or 8 MB that its measured rate says can finish) and the row says
 * so. A figure is always a measurement of a run that completed.
 *
 * Environment: VITALS_BENCH_MATCH_MB (text size, default 1024), VITALS_BENCH_TOOL_BUDGET_S (default
 * 300), VITALS_BENCH_EXTRACT_MB (text given to extractEntities, default 64).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildAhoCorasick } from '../src/darkweb/match/aho-corasick.js';
import { buildOrgMatcher } from '../src/darkweb/match/org-matcher.js';
import { EXTRACTORS, extractEntities } from '../src/darkweb/extract/index.js';
import type { BenchResult, BenchRow } from './bench-result.js';
import {
  benchOrganizations,
  copyLinePrefix,
  countMatchingLines,
  forEachLineBlock,
  orgMatcherInputs,
  substringPatterns,
  writeForumText,
} from './darkweb-corpus.js';
import { findExecutable } from './tools.js';

/** Organizations whose terms are matched (the issue's figure). */
export const MATCH_BENCH_ORGS = 30_000;
const DEFAULT_TEXT_MB = 1024;
const DEFAULT_TOOL_BUDGET_S = 300;
const DEFAULT_EXTRACT_MB = 64;
/** Prefixes a tool is measured on when the whole file exceeds its budget, largest first. */
const PREFIX_LADDER_MB = [64, 8, 1];
/** Documents handed to match() and extractEntities(): about the size of a forum post page. */
const DOCUMENT_BYTES = 4096;
const MB = 1024 * 1024;
/**
 * rg refuses this many patterns at its default 100 MB regex size limit ("Compiled regex exceeds size
 * limit"); both limits are raised so it runs at all (its memory is its own business).
 */
const RG_SIZE_LIMIT = '4G';

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, not ${JSON.stringify(raw)}`);
  return value;
}

/** A text file and Vitals' count of its matching lines. */
interface TextSample {
  path: string;
  bytes: number;
  vitalsMatchingLines: number;
}

/** One external tool's measurement. */
interface ToolMeasurement {
  tool: string;
  version: string | null;
  /** Bytes of the file it was measured on (the whole text, or a prefix). */
  bytes: number;
  prefix: boolean;
  seconds: number;
  matchingLines: number;
  /** Vitals' count on the same bytes. */
  vitalsMatchingLines: number;
  /** Runs that exceeded the budget, in order. */
  timedOut: Array<{ bytes: number; seconds: number }>;
}

/** Result of one child process run. */
interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
  timedOut: boolean;
}

/** Runs a tool with a clean environment (LC_ALL=C for grep's byte semantics), killed after `timeoutMs`. */
function runTool(file: string, args: readonly string[], timeoutMs: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LC_ALL: 'C' };
    const started = performance.now();
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdout.length < 10_000) stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 10_000) stderr += chunk;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, seconds: (performance.now() - started) / 1000, timedOut });
    });
  });
}

/**
 * The count `-c` printed for one file. grep prints 0 and exits 1 when nothing matched; rg prints
 * nothing and exits 1. Exit 2 (or anything else) is an error, never a zero.
 */
function parseCount(run: ChildRun, tool: string): number {
  const out = run.stdout.trim();
  if (run.code === 1 && (out === '' || out === '0')) return 0;
  if (run.code !== 0 || !/^\d+$/.test(out)) {
    throw new Error(`${tool} failed (exit ${run.code}): ${run.stderr.trim().slice(0, 300) || out.slice(0, 300)}`);
  }
  return Number(out);
}

async function toolVersion(file: string): Promise<string | null> {
  try {
    const run = await runTool(file, ['--version'], 10_000);
    return run.stdout.split('\n')[0]?.trim() || null;
  } catch {
    return null;
  }
}

/**
 * Measures one tool over the whole text. Past the budget it is measured on line-aligned prefixes:
 * first the smallest (PREFIX_LADDER_MB's last rung), then the largest rung that, at the rate just
 * measured, should finish within half the budget. Every figure returned is a run that completed;
 * null when even the smallest prefix exceeded the budget.
 */
async function measureTool(
  name: string,
  file: string,
  argsFor: (textFile: string) => string[],
  text: TextSample,
  prefixes: (mb: number) => TextSample,
  budgetS: number,
): Promise<
  ToolMeasurement | { tool: string; version: string | null; timedOut: Array<{ bytes: number; seconds: number }> }
> {
  const version = await toolVersion(file);
  const timedOut: Array<{ bytes: number; seconds: number }> = [];
  const attempt = async (target: TextSample): Promise<ToolMeasurement | null> => {
    process.stderr.write(`bench: darkweb-match: ${name} over ${mbText(target.bytes)} (budget ${budgetS} s)...\n`);
    const run = await runTool(file, argsFor(target.path), budgetS * 1000);
    if (run.timedOut) {
      timedOut.push({ bytes: target.bytes, seconds: run.seconds });
      return null;
    }
    const matchingLines = parseCount(run, name);
    return {
      tool: name,
      version,
      bytes: target.bytes,
      prefix: target !== text,
      seconds: run.seconds,
      matchingLines,
      vitalsMatchingLines: target.vitalsMatchingLines,
      timedOut,
    };
  };
  const whole = await attempt(text);
  if (whole !== null) return whole;
  const rungs = PREFIX_LADDER_MB.filter((mb) => mb * MB < text.bytes);
  const smallest = rungs[rungs.length - 1];
  if (smallest === undefined) return { tool: name, version, timedOut };
  const small = await attempt(prefixes(smallest));
  if (small === null) return { tool: name, version, timedOut };
  const rate = small.bytes / small.seconds;
  const larger = rungs.find((mb) => mb > smallest && (mb * MB) / rate < budgetS / 2);
  if (larger === undefined) return small;
  return (await attempt(prefixes(larger))) ?? small;
}

/** CPU seconds (user + system) this process used since `before`. */
function cpuSecondsSince(before: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}

function isMeasured(m: Awaited<ReturnType<typeof measureTool>>): m is ToolMeasurement {
  return 'seconds' in m;
}

/** "64 MB" / "1,024 MB". */
function mbText(bytes: number): string {
  return `${Math.round(bytes / MB).toLocaleString('en-US')} MB`;
}

/** Runs the matching benchmark (exported for bench/run.ts). */
export async function run(): Promise<BenchResult> {
  const textMb = envNumber('VITALS_BENCH_MATCH_MB', DEFAULT_TEXT_MB);
  const budgetS = envNumber('VITALS_BENCH_TOOL_BUDGET_S', DEFAULT_TOOL_BUDGET_S);
  const extractMb = envNumber('VITALS_BENCH_EXTRACT_MB', DEFAULT_EXTRACT_MB);
  const notes: string[] = [];
  const rows: BenchRow[] = [];
  const details: Record<string, unknown> = {};
  const dir = mkdtempSync(join(tmpdir(), 'vitals-bench-match-'));
  try {
    // 1. Organizations, the pattern file, the text.
    let started = performance.now();
    const orgs = benchOrganizations(MATCH_BENCH_ORGS);
    const patterns = substringPatterns(orgs);
    const patternFile = join(dir, 'patterns.txt');
    writeFileSync(patternFile, `${patterns.join('\n')}\n`);
    const textFile = join(dir, 'text.txt');
    process.stderr.write(`bench: darkweb-match: writing ${textMb} MB of text...\n`);
    const stats = writeForumText(textFile, { bytes: Math.round(textMb * MB), orgs });
    details['generation'] = {
      seconds: (performance.now() - started) / 1000,
      ...stats,
      organizations: orgs.length,
      patterns: patterns.length,
    };

    // 2. Vitals: the raw automaton, grep's semantics (ASCII case folding, substrings). Build included,
    // as grep's and rg's times include compiling their pattern sets.
    started = performance.now();
    const rawCpu = process.cpuUsage();
    const automaton = buildAhoCorasick(patterns);
    const buildSeconds = (performance.now() - started) / 1000;
    const raw = countMatchingLines(automaton, textFile);
    const rawSeconds = (performance.now() - started) / 1000;
    const rawCpuSeconds = cpuSecondsSince(rawCpu);
    const vitalsMBps = raw.bytes / MB / rawSeconds;
    details['vitals'] = {
      buildSeconds,
      seconds: rawSeconds,
      cpuSeconds: rawCpuSeconds,
      bytes: raw.bytes,
      matchingLines: raw.matchingLines,
      states: automaton.stateCount,
      denseStates: automaton.denseStateCount,
      tableBytes: automaton.tableBytes,
    };
    if (raw.matchingLines < stats.plantedLines) {
      notes.push(
        `Vitals found ${raw.matchingLines} matching lines but ${stats.plantedLines} were planted: the scan is wrong.`,
      );
    }

    // Prefixes for tools past their budget, made (and counted by Vitals) only when needed.
    const prefixCache = new Map<number, TextSample>();
    const prefix = (mb: number): TextSample => {
      let cached = prefixCache.get(mb);
      if (cached === undefined) {
        const path = join(dir, `text-${mb}mb.txt`);
        const bytes = copyLinePrefix(textFile, path, mb * MB);
        cached = { path, bytes, vitalsMatchingLines: countMatchingLines(automaton, path).matchingLines };
        prefixCache.set(mb, cached);
      }
      return cached;
    };
    const whole = { path: textFile, bytes: raw.bytes, vitalsMatchingLines: raw.matchingLines };

    // 3. grep and ripgrep on the same files.
    const tools: Array<{ name: string; exe: string | null; args: (f: string) => string[]; pkg: string }> = [
      {
        name: 'grep -F -i -c -f (LC_ALL=C)',
        exe: findExecutable('grep'),
        args: (f) => ['-F', '-i', '-c', '-f', patternFile, f],
        pkg: 'grep',
      },
      {
        name: 'rg -F -i -c -f',
        exe: findExecutable('rg'),
        args: (f) => [
          '--no-config',
          '--regex-size-limit',
          RG_SIZE_LIMIT,
          '--dfa-size-limit',
          RG_SIZE_LIMIT,
          '-F',
          '-i',
          '-c',
          '-f',
          patternFile,
          f,
        ],
        pkg: 'ripgrep',
      },
    ];
    const measured: Record<string, unknown> = {};
    for (const tool of tools) {
      const short = tool.name.split(' ')[0]!;
      if (tool.exe === null) {
        notes.push(`${short} is not installed (Debian package ${tool.pkg}): its comparison was skipped.`);
        rows.push({
          what:
            `match ${orgs.length.toLocaleString('en-US')} orgs' terms ` +
            `(${patterns.length.toLocaleString('en-US')} patterns) over ${mbText(raw.bytes)}`,
          unit: 'MB/s',
          vitals: vitalsMBps,
          other: { tool: `${short} (not installed)`, value: null },
          target: short === 'grep' ? '>= grep' : '>= 1/2 ripgrep',
          met: null,
        });
        continue;
      }
      const m = await measureTool(tool.name, tool.exe, tool.args, whole, prefix, budgetS);
      measured[short] = m;
      const overBudget = m.timedOut.map((t) => `${mbText(t.bytes)} not done in ${t.seconds.toFixed(0)} s`).join(', ');
      if (!isMeasured(m)) {
        const smallest = m.timedOut[m.timedOut.length - 1];
        notes.push(
          `${short}: every run exceeded the ${budgetS} s budget (${overBudget}); its throughput is below ` +
            `${smallest ? (smallest.bytes / MB / budgetS).toFixed(3) : '?'} MB/s and is not in the table.`,
        );
        rows.push({
          what: `match ${orgs.length.toLocaleString('en-US')} orgs' terms over ${mbText(raw.bytes)}`,
          unit: 'MB/s',
          vitals: vitalsMBps,
          other: { tool: `${tool.name}: over budget`, value: null },
          target: short === 'grep' ? '>= grep' : '>= 1/2 ripgrep',
          met: null,
        });
        continue;
      }
      const toolMBps = m.bytes / MB / m.seconds;
      if (m.prefix)
        notes.push(
          `${short}: ${overBudget} (budget ${budgetS} s); its throughput was measured on the first ` +
            `${mbText(m.bytes)} of the same text, and its count compared with Vitals' on that prefix.`,
        );
      const scope = m.prefix ? `, measured on the first ${mbText(m.bytes)}` : '';
      rows.push({
        what:
          `match ${orgs.length.toLocaleString('en-US')} orgs' terms ` +
          `(${patterns.length.toLocaleString('en-US')} patterns, case-insensitive substrings) over ` +
          `${mbText(raw.bytes)}`,
        unit: 'MB/s',
        vitals: vitalsMBps,
        other: { tool: `${tool.name}${scope}`, value: toolMBps },
        target: short === 'grep' ? '>= grep' : '>= 1/2 ripgrep',
        met: short === 'grep' ? vitalsMBps >= toolMBps : vitalsMBps >= toolMBps / 2,
      });
      rows.push({
        what: `  matching lines${m.prefix ? ` in the first ${mbText(m.bytes)}` : ''} (agreement with ${short})`,
        unit: 'lines',
        vitals: m.vitalsMatchingLines,
        other: { tool: short, value: m.matchingLines },
        target: 'equal',
        met: m.vitalsMatchingLines === m.matchingLines,
      });
      if (m.vitalsMatchingLines !== m.matchingLines)
        notes.push(`${short} counted ${m.matchingLines} matching lines where Vitals counted ${m.vitalsMatchingLines}.`);
    }
    details['tools'] = measured;

    // 4. The org matcher: every term (acronyms included), word boundaries and the mention rules, one
    // match() per ~4 KB document as ingestion calls it; lines with at least one mention.
    started = performance.now();
    const matcherCpu = process.cpuUsage();
    const matcher = buildOrgMatcher(orgMatcherInputs(orgs));
    const matcherBuildSeconds = (performance.now() - started) / 1000;
    let mentions = 0;
    let linesWithMention = 0;
    let documents = 0;
    const matcherBytes = forEachLineBlock(textFile, (block) => {
      forEachDocument(block, (text) => {
        documents += 1;
        const found = matcher.match(text);
        if (found.length === 0) return;
        mentions += found.length;
        const lineStarts = new Set<number>();
        for (const mention of found) lineStarts.add(text.lastIndexOf('\n', mention.start - 1));
        linesWithMention += lineStarts.size;
      });
    });
    const matcherSeconds = (performance.now() - started) / 1000;
    details['orgMatcher'] = {
      buildSeconds: matcherBuildSeconds,
      seconds: matcherSeconds,
      cpuSeconds: cpuSecondsSince(matcherCpu),
      terms: matcher.patternCount,
      states: matcher.stateCount,
      tableBytes: matcher.tableBytes,
      documents,
      mentions,
      linesWithMention,
      plantedLines: stats.plantedLines,
    };
    rows.push({
      what:
        `org matcher, word boundaries and mention rules (match() per 4 KB document, ` +
        `${matcher.patternCount.toLocaleString('en-US')} terms)`,
      unit: 'MB/s',
      vitals: matcherBytes / MB / matcherSeconds,
      other: null,
      target: null,
      met: null,
    });
    rows.push({
      what:
        `  lines with a mention (${stats.plantedLines.toLocaleString('en-US')} planted; ` +
        `${raw.matchingLines.toLocaleString('en-US')} with a substring hit)`,
      unit: 'lines',
      vitals: linesWithMention,
      other: null,
      target: null,
      met: null,
    });

    // 5. extractEntities on the first VITALS_BENCH_EXTRACT_MB of the same text, per document.
    const extractFile = extractMb * MB < raw.bytes ? prefix(extractMb).path : textFile;
    const warmUp =
      'admin@northwind.test:Winter2024! 10.0.0.1 CVE-2024-3094 bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4\n'.repeat(
        200,
      );
    extractEntities(warmUp); // compile the regular expressions before timing
    started = performance.now();
    let entities = 0;
    const extractBytes = forEachLineBlock(extractFile, (block) =>
      forEachDocument(block, (text) => (entities += extractEntities(text).length)),
    );
    const extractSeconds = (performance.now() - started) / 1000;
    details['extractEntities'] = { bytes: extractBytes, seconds: extractSeconds, entities };
    rows.push({
      what:
        `extractEntities (all ${Object.keys(EXTRACTORS).length} extractors) per 4 KB document, ` +
        `first ${mbText(extractBytes)}`,
      unit: 'MB/s',
      vitals: extractBytes / MB / extractSeconds,
      other: null,
      target: null,
      met: null,
    });
    notes.push(
      `${orgs.length} organizations, ${patterns.length} substring patterns (names, short names, domains; ` +
        `acronyms only in the org matcher), automaton ${automaton.stateCount} states, ` +
        `${(automaton.tableBytes / MB).toFixed(0)} MB, built in ${buildSeconds.toFixed(2)} s (included in ` +
        `Vitals' MB/s). Text: ${stats.lines} lines, ${stats.plantedLines} with a planted term ` +
        `(${stats.recasedLines} in a different case).`,
    );
    return { name: 'darkweb-match', rows, details, notes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Splits a block of whole lines into ~4 KB documents (whole lines) and hands each over as a string. */
function forEachDocument(block: Buffer, onDocument: (text: string) => void): void {
  for (let start = 0; start < block.length; ) {
    let end = block.indexOf(0x0a, Math.min(block.length - 1, start + DOCUMENT_BYTES));
    end = end < 0 ? block.length : end + 1;
    onDocument(block.toString('utf8', start, end));
    start = end;
  }
}
