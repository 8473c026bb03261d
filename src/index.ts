/**
 * Production HTTP entry point: `node dist/index.js` (the container, `npm start`). The same as
 * `intervals-mcp http`. The launcher runs first; the server's modules load after it.
 */
import { exitFailedToStart, prepareRuntime } from './launch.js';

prepareRuntime();
import('./run-http.js').then(({ runHttp }) => runHttp()).catch(exitFailedToStart);
