/** Parameter schemas the routes share. Query values are text: booleans are `true`/`false`. */
import { z } from 'zod';

export const Bool = z.enum(['true', 'false']);
/** A calendar day, `YYYY-MM-DD`. */
export const Day = z.iso.date();
/** An ISO 8601 date-time with a zone. */
export const Timestamp = z.iso.datetime({ offset: true });
/** An organization by id, name or alias. */
export const OrgParam = z.strictObject({ org: z.string().min(1).max(300) });
