/**
 * Reading response headers kept as pairs (lower-case name, value as sent), shared by the web probe and
 * the application-security checks. No dependencies.
 */

/** One header as received: lower-case name, value as sent (repeated headers stay separate entries). */
export type HeaderPair = readonly [name: string, value: string];

/** The value of the first header `name`, or undefined. */
export function headerValue(headers: readonly HeaderPair[], name: string): string | undefined {
  return headers.find(([n]) => n === name)?.[1];
}

/** Every value of header `name`, in order. */
export function headerValues(headers: readonly HeaderPair[], name: string): string[] {
  return headers.filter(([n]) => n === name).map(([, v]) => v);
}
