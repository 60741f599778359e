// The contract package's test encounter, for the middleware's tests too.
export { ancEncounter, withField, SOURCE } from '../../../packages/contract/test/fixtures.js';
