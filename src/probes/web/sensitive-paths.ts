/**
 * Files a web server should never hand out, and how each is recognised by its content: a status code
 * says nothing (many servers answer 200 with their home page for any path), so a path counts as exposed
 * only when the bytes are what the file really holds.
 */

export interface SensitivePath {
  path: string;
  kind: string;
  /** Bytes read: enough to recognise the file, never the whole of a large archive. */
  readBytes: number;
  /** The excerpt that confirms it, or null when the content is not that file. */
  confirm(body: Buffer): string | null;
}

const GIT_HEAD = /^(?:ref: refs\/[\w./-]+|[0-9a-f]{40})\s*$/;
const ENV_LINE = /^(?:export\s+)?([A-Z][A-Z0-9_]{1,63})=/gm;

function text(body: Buffer): string {
  return body.toString('latin1');
}

function looksLikeHtml(body: string): boolean {
  return /<(?:!doctype|html|head|body)\b/i.test(body.slice(0, 2048));
}

export const SENSITIVE_PATHS: readonly SensitivePath[] = [
  {
    path: '/.git/HEAD',
    kind: 'git HEAD reference',
    readBytes: 1024,
    confirm: (body) => {
      const head = text(body).trim();
      return GIT_HEAD.test(head) ? head.slice(0, 100) : null;
    },
  },
  {
    path: '/.env',
    kind: 'environment file',
    readBytes: 16 * 1024,
    confirm: (body) => {
      const content = text(body);
      if (looksLikeHtml(content)) return null;
      const keys = [...content.matchAll(ENV_LINE)].map((m) => m[1]!);
      // Variable names only: the values are the secrets, and evidence is stored.
      return keys.length > 0 ? `variables: ${[...new Set(keys)].slice(0, 10).join(', ')}` : null;
    },
  },
  {
    path: '/server-status',
    kind: 'Apache server status',
    readBytes: 64 * 1024,
    confirm: (body) => {
      const content = text(body);
      const match = /Apache Server Status for ([^<\n]{1,100})/.exec(content);
      return match ? match[0] : null;
    },
  },
  {
    path: '/phpinfo.php',
    kind: 'phpinfo() page',
    readBytes: 64 * 1024,
    confirm: (body) => {
      const content = text(body);
      const version = /PHP Version (\d+\.\d+[\w.-]*)/.exec(content);
      return /phpinfo\(\)/.test(content) && version ? `PHP Version ${version[1]}` : null;
    },
  },
  {
    path: '/backup.zip',
    kind: 'zip archive',
    readBytes: 512,
    confirm: (body) =>
      body.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])) ? 'zip local file header' : null,
  },
  {
    path: '/backup.tar.gz',
    kind: 'gzip archive',
    readBytes: 512,
    confirm: (body) => (body[0] === 0x1f && body[1] === 0x8b && body[2] === 0x08 ? 'gzip header' : null),
  },
];
