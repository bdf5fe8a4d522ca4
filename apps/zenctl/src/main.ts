import 'reflect-metadata';

import { reportFailure, runCli } from './cli';
import { processIo } from './lib/io';

const io = processIo();

// A reader that goes away (`zenctl audit export | head`) ends the command quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
});
process.on('uncaughtException', (err) => process.exit(reportFailure(io, err)));
process.on('unhandledRejection', (err) => process.exit(reportFailure(io, err)));

// Exit only after stdout and stderr have drained, so piped output is never cut short.
void runCli(process.argv.slice(2), io).then((code) => {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
});
