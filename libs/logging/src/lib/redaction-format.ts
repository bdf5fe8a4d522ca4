import { format } from 'winston';

import { redactSecrets } from './redact';

// winston's transports write `info[Symbol.for('message')]`, the key its own json() fills.
const MESSAGE = Symbol.for('message');
const LEADING_FIELDS = ['timestamp', 'level', 'message', 'component', 'instance'];

/**
 * The last format of the pipeline: redacts every field of the log entry and writes the
 * serialized JSON line. Serializing here, rather than in an earlier `json()` format, means
 * nothing can add an unredacted field after redaction. Fields come in a stable order,
 * timestamp, level, message, component and instance first.
 */
export const redactedJson = format((info) => {
  const safe = redactSecrets({ ...info }) as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  for (const field of LEADING_FIELDS) {
    if (field in safe) ordered[field] = safe[field];
  }
  Object.assign(ordered, safe);
  Object.assign(info, safe);
  info[MESSAGE] = JSON.stringify(ordered);

  return info;
});
