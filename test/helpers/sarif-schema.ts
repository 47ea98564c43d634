/**
 * Validates a SARIF log against the official SARIF 2.1.0 JSON schema vendored under test/fixtures/sarif/
 * (see its README for the source and why the draft-04 schema is handed to ajv as draft-07).
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';

const SCHEMA_URL = new URL('../../../test/fixtures/sarif/sarif-schema-2.1.0.json', import.meta.url);

// RFC 3339 date-time, RFC 3986 absolute URI (scheme ":" rest) and URI reference: no spaces or controls.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const URI = /^[a-z][a-z0-9+.-]*:[^\s\u0000-\u001f\u007f]*$/i;
const URI_REFERENCE = /^[^\s\u0000-\u001f\u007f]*$/;

export interface SarifValidation {
  valid: boolean;
  errors: string;
}

let compiled: { ajv: Ajv; validate: ValidateFunction } | undefined;

function compile(): { ajv: Ajv; validate: ValidateFunction } {
  const official = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as { id: string; $schema: string };
  const { id, $schema: _draft04, ...rest } = official;
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat('date-time', DATE_TIME);
  ajv.addFormat('uri', URI);
  ajv.addFormat('uri-reference', URI_REFERENCE);
  return { ajv, validate: ajv.compile({ $schema: 'http://json-schema.org/draft-07/schema#', $id: id, ...rest }) };
}

export function validateSarif(log: unknown): SarifValidation {
  compiled ??= compile();
  const valid = compiled.validate(log);
  return { valid, errors: valid ? '' : compiled.ajv.errorsText(compiled.validate.errors, { separator: '\n' }) };
}
