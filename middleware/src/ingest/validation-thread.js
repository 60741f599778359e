// The entry of a validation thread. Like bin/smc-bridge.js it runs the TypeScript sources through tsx's
// loader, which a worker thread does not inherit from the process that starts it.
import { register } from 'tsx/esm/api';

register();
const { validateInThread } = await import('./validation-task.ts');

export default validateInThread;
