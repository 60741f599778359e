/**
 * Yesterday's UTC date (YYYY-MM-DD): the last day generated encounters may fall on, so that none of them
 * lies in the future of the server clock, whatever the facility's UTC offset.
 */
export function yesterday(now = new Date()): string {
  return new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
}
