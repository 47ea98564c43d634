/**
 * PDF of a report page, printed by a locally installed Chromium through playwright-core (which brings no
 * browser of its own). The browser runs headless with a fresh, empty profile that is deleted afterwards,
 * and every request the page might make is refused: a report needs nothing from the network, and printing
 * must not reach it.
 */
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { AppError, ExitStatus } from '../core/errors.js';

/** No Chromium to print with, or it failed: the message says what to install or what went wrong. */
export class PdfError extends AppError {
  override readonly name = 'PdfError';
  readonly code = 'pdf-unavailable';
  constructor(message: string, cause?: unknown) {
    super(message, { exitStatus: ExitStatus.failure, cause });
  }
}

/** Browser names tried on PATH, in order, when VITALS_CHROMIUM does not name one. */
const BROWSER_NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Chromium to print with: VITALS_CHROMIUM when set (it must exist), else the first of BROWSER_NAMES on
 * PATH; undefined when there is none.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = env.VITALS_CHROMIUM;
  if (chosen !== undefined && chosen !== '') {
    if (!executable(chosen)) throw new PdfError(`VITALS_CHROMIUM=${chosen}: no executable browser there`);
    return chosen;
  }
  const dirs = (env.PATH ?? '').split(delimiter).filter((d) => d !== '');
  for (const name of BROWSER_NAMES) for (const dir of dirs) if (executable(join(dir, name))) return join(dir, name);
  return undefined;
}

const MISSING =
  'printing a PDF needs Chromium, and none is installed (looked for ' +
  `${BROWSER_NAMES.join(', ')} on PATH). Install it ` +
  '(Debian/Ubuntu: apt-get install chromium) or set VITALS_CHROMIUM to its path; ' +
  'the HTML report (--format html) needs no browser to make';

/** The Chromium to print with, or a PdfError that says what to install. */
export function requireChromium(env: NodeJS.ProcessEnv = process.env): string {
  const found = findChromium(env);
  if (found === undefined) throw new PdfError(MISSING);
  return found;
}

/** Chromium flags: headless, no GPU, and none of its own background traffic (updates, sync, field trials). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--metrics-recording-only',
];

/** How long a print may take before it is given up (a cold browser start on a busy machine included). */
const PRINT_TIMEOUT_MS = 120_000;

/** Prints one self-contained HTML page to PDF (A4, backgrounds printed) and returns its bytes. */
export async function htmlToPdf(page: string, options: { env?: NodeJS.ProcessEnv } = {}): Promise<Buffer> {
  const browserPath = requireChromium(options.env);
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'vitals-pdf-'));
  try {
    const context = await chromium
      .launchPersistentContext(profile, {
        executablePath: browserPath,
        headless: true,
        args: CHROMIUM_ARGS,
        offline: true,
        timeout: PRINT_TIMEOUT_MS,
        javaScriptEnabled: false,
      })
      .catch((error: unknown) => {
        throw new PdfError(`could not start Chromium at ${browserPath}: ${firstLine(error)}`, error);
      });
    try {
      // The page loads nothing; anything it would try is refused rather than fetched.
      await context.route('**/*', (route) => route.abort('blockedbyclient'));
      const tab = await context.newPage();
      await tab.setContent(page, { waitUntil: 'load', timeout: PRINT_TIMEOUT_MS });
      await tab.emulateMedia({ media: 'print' });
      return await tab.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    } finally {
      await context.close();
    }
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0]!;
}
