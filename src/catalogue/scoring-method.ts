/**
 * The scoring method's constants: src/catalogue/scoring-method.json, validated with zod when this
 * module is imported, so a bad edit fails at start-up, not in the middle of a scan. The math that uses
 * them is in src/scoring (pure); docs/methodology.md explains every constant.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { FACTORS, SEVERITIES } from '../core/types.js';
import { GRADES } from '../scoring/types.js';
import type { ScoringMethod } from '../scoring/types.js';

const weight = z.number().finite().nonnegative();

// z.record over an enum requires every key and refuses others: a factor without a weight fails at load.
const factorsSchema = z.record(
  z.enum(FACTORS),
  z.strictObject({ weight: z.number().finite().positive(), sizeNormalized: z.boolean() }),
);
const severitySchema = z.record(z.enum(SEVERITIES), weight);

const methodSchema = z
  .strictObject({
    version: z.string().regex(/^\d+\.\d+\.\d+$/, 'a semantic version such as 1.0.0'),
    released: z.iso.date(),
    severityWeights: severitySchema,
    factors: factorsSchema,
    penaltyScale: z.number().finite().positive(),
    repeatRatio: z.number().finite().min(0).max(1),
    sizeNormalization: z.strictObject({
      referenceAssets: z.number().finite().positive(),
      exponent: z.number().finite().min(0).max(1),
    }),
    decay: z.strictObject({
      fullWeightDays: z.number().finite().nonnegative(),
      zeroWeightDays: z.number().finite().positive(),
    }),
    grades: z.array(z.strictObject({ grade: z.enum(GRADES), min: z.number().finite().min(0).max(100) })),
    topIssues: z.number().int().positive(),
    planSteps: z.number().int().positive(),
  })
  .superRefine((method, ctx) => {
    if (method.decay.zeroWeightDays <= method.decay.fullWeightDays) {
      ctx.addIssue({ code: 'custom', path: ['decay'], message: 'zeroWeightDays must be above fullWeightDays' });
    }
    // Severity order is the catalogue's: a more severe finding never costs less.
    for (let i = 1; i < SEVERITIES.length; i++) {
      const [more, less] = [SEVERITIES[i - 1]!, SEVERITIES[i]!];
      if (method.severityWeights[more] < method.severityWeights[less]) {
        ctx.addIssue({ code: 'custom', path: ['severityWeights', more], message: `must be at least ${less}'s weight` });
      }
    }
    const letters = method.grades.map((g) => g.grade);
    if (letters.join() !== GRADES.join()) {
      ctx.addIssue({ code: 'custom', path: ['grades'], message: `grades must be ${GRADES.join(', ')} in that order` });
    }
    for (let i = 1; i < method.grades.length; i++) {
      if (method.grades[i]!.min >= method.grades[i - 1]!.min) {
        ctx.addIssue({ code: 'custom', path: ['grades', i, 'min'], message: 'thresholds must decrease' });
      }
    }
    if (method.grades.at(-1)?.min !== 0) {
      ctx.addIssue({ code: 'custom', path: ['grades'], message: 'the last grade must start at 0' });
    }
  });

/** Validates method data (already parsed JSON); throws an Error listing every problem. */
export function parseScoringMethod(data: unknown, source = 'scoring method'): ScoringMethod {
  const parsed = methodSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    throw new Error(`invalid scoring method ${source}:\n${problems}`);
  }
  return parsed.data as ScoringMethod;
}

// Read next to this module so it works from src/ (tsx) and from dist/ (tsc copies included JSON).
const METHOD_URL = new URL('./scoring-method.json', import.meta.url);
const method: ScoringMethod = parseScoringMethod(JSON.parse(readFileSync(METHOD_URL, 'utf8')), METHOD_URL.pathname);

/** The validated scoring method in force (shared instance: do not mutate). */
export function getScoringMethod(): ScoringMethod {
  return method;
}
