/**
 * `--format html` and `--pdf FILE` of the commands that have a report page (scorecard, portfolio,
 * study): the page goes to standard output, or is printed into a PDF written whole or not at all.
 */
import { htmlToPdf, requireChromium } from '../report/pdf.js';
import { AtomicFile } from './atomic-write.js';
import type { TextSink } from './output.js';

/**
 * For `--pdf FILE`, before any work: fails when no browser can print (naming what to install) or when
 * FILE's folder cannot be written (the temporary file is created now).
 */
export function preparePdf(path: string | undefined): AtomicFile | undefined {
  if (path === undefined) return undefined;
  requireChromium();
  return new AtomicFile(path, '--pdf');
}

/** Writes the page: as HTML to `out`, or printed into the prepared PDF file. */
export async function writeReportPage(page: string, out: TextSink, pdf: AtomicFile | undefined): Promise<void> {
  if (pdf === undefined) {
    out.write(page);
    return;
  }
  try {
    pdf.write(await htmlToPdf(page));
    pdf.commit();
  } finally {
    // After a commit this does nothing; after a failure it removes the temporary file.
    pdf.discard();
  }
}
