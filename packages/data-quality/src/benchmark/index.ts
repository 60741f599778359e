// The benchmark: a seeded generator of facility-month series with genuine events, labelled injected
// errors, and the scoring of our screening and of the DHIS2 and WHO DQ Tool methods on them.
export * from './generator.js';
export * from './errors.js';
export * from './evaluate.js';
export { Draws } from './random.js';
