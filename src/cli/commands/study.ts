/** `vitals study`: the seed study on the portfolio's history (issue #10 section 6). */
import { Command, Option } from 'commander';
import { runStudy } from '../../reports/study.js';
import { COHORTS, type Cohort } from '../../study/figures.js';
import { studyPeriods, type PeriodMode } from '../../study/periods.js';
import { DEFAULT_RESAMPLES, DEFAULT_SEED } from '../../study/study.js';
import { renderStudyHtml } from '../../report/study.js';
import { resolveHome } from '../context.js';
import { addHomeOption, parseIntegerOption } from '../options.js';
import { writeJson } from '../output.js';
import { preparePdf, writeReportPage } from '../report-output.js';
import { openCliStore } from '../store.js';
import { renderStudy, writeStudyCsv } from '../study-output.js';
import { StudyOutput } from '../../output/schemas.js';

export const STUDY_FORMATS = ['table', 'json', 'csv', 'html'] as const;
type StudyFormat = (typeof STUDY_FORMATS)[number];

/** Most bootstrap replicates accepted: beyond this the intervals no longer move, only the time grows. */
const MAX_RESAMPLES = 100_000;

export function studyCommand(): Command {
  return addHomeOption(
    new Command('study')
      .description(
        'compare the portfolio between two months, factor by factor and finding type by finding type: findings per ' +
          'organization and per domain, change with bootstrap 95% intervals, telehealth against the rest, finding ' +
          'lifecycle and dark-web mentions (reads score history: scans, or `vitals lab history`)',
      )
      .requiredOption('--from <YYYY-MM>', 'first month of the study')
      .requiredOption('--to <YYYY-MM>', 'last month of the study')
      .addOption(new Option('--cohort <cohort>', 'report only this cohort').choices(COHORTS))
      .addOption(
        new Option('--by <period>', 'month: also report every month in between (default: the first and last only)')
          .choices(['month', 'span'])
          .default('span'),
      )
      .addOption(
        new Option('--format <format>', 'output format (html: one self-contained report page)')
          .choices(STUDY_FORMATS)
          .default('table'),
      )
      .option('--pdf <file>', 'write the HTML report as a PDF, printed by the local Chromium (docs/reports.md)')
      .option('--seed <n>', `seed of the bootstrap (default ${DEFAULT_SEED})`)
      .option('--resamples <n>', `bootstrap resamples (default ${DEFAULT_RESAMPLES})`),
  ).action(
    async (options: {
      home?: string;
      from: string;
      to: string;
      cohort?: Cohort;
      by: PeriodMode;
      format: StudyFormat;
      pdf?: string;
      seed?: string;
      resamples?: string;
    }) => {
      const seed = options.seed === undefined ? undefined : parseIntegerOption(options.seed, '--seed', 0, 2 ** 32 - 1);
      const resamples =
        options.resamples === undefined
          ? undefined
          : parseIntegerOption(options.resamples, '--resamples', 100, MAX_RESAMPLES);
      // Bad months are refused before the store is opened (or created).
      studyPeriods(options.from, options.to, options.by);
      const pdf = preparePdf(options.pdf);
      const store = await openCliStore(resolveHome(options));
      try {
        const report = await runStudy(store, (range) => store.scoreSnapshots.streamSnapshots(range), {
          from: options.from,
          to: options.to,
          by: options.by,
          ...(options.cohort !== undefined ? { cohort: options.cohort } : {}),
          ...(seed !== undefined ? { seed } : {}),
          ...(resamples !== undefined ? { resamples } : {}),
        });
        if (pdf !== undefined || options.format === 'html')
          await writeReportPage(renderStudyHtml(report), process.stdout, pdf);
        else if (options.format === 'json') writeJson(process.stdout, StudyOutput, report);
        else if (options.format === 'csv') writeStudyCsv(report, (text) => process.stdout.write(text));
        else process.stdout.write(renderStudy(report));
      } finally {
        pdf?.discard();
        await store.close();
      }
    },
  );
}
