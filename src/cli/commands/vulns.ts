/** `vitals vulns import FILE...`: CISA KEV and NVD CVE API 2.0 data for the patching checks. */
import { Command } from 'commander';
import { FILE_CAPS, readCappedTextFile } from '../../core/capped-file.js';
import { parseVulnFile } from '../../intel/vulns/vuln-import.js';
import { describeDataLocation, resolveHome } from '../context.js';
import { addHomeOption } from '../options.js';
import { sanitizeTerminalLine } from '../sanitize.js';
import { openCliStore } from '../store.js';

export function vulnsCommand(): Command {
  const vulns = new Command('vulns').description(
    'vulnerability data (CVE, CVSS, KEV) the patching checks match against',
  );
  addHomeOption(
    vulns
      .command('import')
      .description(
        "import CISA's Known Exploited Vulnerabilities JSON feed or NVD CVE API 2.0 JSON files; records merge by " +
          'CVE with the shipped data (KEV dates from KEV files, CVSS and affected ranges from NVD files)',
      )
      .argument('<files...>', 'known_exploited_vulnerabilities.json, or NVD API 2.0 responses'),
  ).action(async (files: string[], options: { home?: string }) => {
    // Every file is read and checked before anything is written.
    const parsed = files.map((file) => ({
      file,
      data: parseVulnFile(readCappedTextFile(file, FILE_CAPS.vulnerabilities, 'vulnerability file'), file),
    }));
    const home = resolveHome(options);
    const store = await openCliStore(home);
    try {
      for (const { file, data } of parsed) {
        const counts = await store.vulns.importRecords(data.records, data.label);
        const ranged = data.records.filter((r) => r.affected.length > 0).length;
        process.stdout.write(
          `${sanitizeTerminalLine(`${file}: ${data.format} (${data.label})`)}: ${data.records.length} CVEs, ` +
            `${counts.added} new, ${counts.updated} updated; ${ranged} with affected version ranges` +
            `${data.skipped > 0 ? `; ${data.skipped} rejected CVEs skipped` : ''}\n`,
        );
      }
      process.stdout.write(`data: ${describeDataLocation(home)}\n`);
    } finally {
      await store.close();
    }
  });
  return vulns;
}
