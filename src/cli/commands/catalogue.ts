/** `vitals catalogue`: the published finding catalogue (ids, factors, severities, remediation, references). */
import { Command, Option } from 'commander';
import { renderCatalogue } from '../../catalogue/catalogue.js';
import { addHomeOption } from '../options.js';

export function catalogueCommand(): Command {
  return addHomeOption(
    new Command('catalogue')
      .alias('catalog')
      .description(
        'print the finding catalogue: every finding type with its factor, severity, remediation and references',
      )
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'md']).default('table')),
  ).action((options: { format: 'table' | 'json' | 'md' }) => {
    process.stdout.write(renderCatalogue(options.format));
  });
}
