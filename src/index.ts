/**
 * Production HTTP entry point: `node dist/index.js` (the container, `npm start`). The same as
 * `intervals-mcp http`. The launcher runs first; the server's modules load after it.
 */
import { prepareRuntime } from './launch.js';

prepareRuntime();
import('./run-http.js')
  .then(({ runHttp }) => runHttp())
  .catch((err: unknown) => {
    process.stderr.write(`intervals-mcp: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
