/**
 * A search query may start with a NOT term (`-wtb ransomware`), which a command-line parser takes for
 * an unknown option. `SearchCommand` moves every argument that is not one of the command's own options
 * behind `--` before parsing, so all of these are the same query:
 *
 *     vitals darkweb search -wtb ransomware
 *     vitals darkweb search '-wtb ransomware'
 *     vitals darkweb search --limit 5 -- -wtb ransomware
 *
 * An unknown `--word` (two dashes, no space) is still reported as an unknown option: it is a
 * mistyped option far more often than a query.
 */
import { Command, type Option, type ParseOptionsResult } from 'commander';

/** How one argument reads against the command's options. */
function optionOf(arg: string, options: readonly Option[]): Option | 'help' | undefined {
  if (arg === '-h' || arg === '--help') return 'help';
  const flag = arg.startsWith('--') ? arg.split('=', 1)[0] : arg;
  return options.find((o) => o.long === flag || o.short === flag);
}

/** `argv` with the command's own options (and their values) first, then `--` and the query words in order. */
export function queryAfterDoubleDash(argv: readonly string[], options: readonly Option[]): string[] {
  const own: string[] = [];
  const query: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      query.push(...argv.slice(i + 1));
      break;
    }
    const option = optionOf(arg, options);
    if (option === 'help') own.push(arg);
    else if (option !== undefined) {
      own.push(arg);
      const takesValue = option.required || option.optional;
      if (takesValue && !arg.includes('=') && i + 1 < argv.length) own.push(argv[++i]!);
    } else if (/^--[^\s=]/.test(arg) && !/\s/.test(arg)) own.push(arg);
    else query.push(arg);
  }
  return query.length > 0 ? [...own, '--', ...query] : own;
}

/** A command whose operands are a search query that may begin with `-`. */
export class SearchCommand extends Command {
  override parseOptions(argv: string[]): ParseOptionsResult {
    return super.parseOptions(queryAfterDoubleDash(argv, this.options));
  }
}
