import 'reflect-metadata';

import { runCli } from './cli';
import { processIo } from './lib/io';

// Exit only after stdout and stderr have drained, so piped output is never cut short.
void runCli(process.argv.slice(2), processIo()).then((code) => {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
});
