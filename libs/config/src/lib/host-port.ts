import { z } from 'zod';

/** A host name or IP address and a TCP port. IPv6 hosts are kept without brackets. */
export interface HostPort {
  host: string;
  port: number;
}

const HOST_PORT_SHAPE = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9_.-]+)):([0-9]{1,5})$/;

/**
 * Zod schema of a `host:port` setting (`127.0.0.1:6379`, `localhost:8443`, `[::1]:8443`),
 * output as {@link HostPort}. Port 0 is allowed so that tests can ask for any free port.
 */
export function zHostPort(): z.ZodType<HostPort, string> {
  return z.string().transform((input, ctx) => {
    const parsed = parseHostPort(input);
    if (parsed === null) {
      ctx.addIssue({ code: 'custom', message: 'must be host:port, with a port from 0 to 65535' });
      return z.NEVER;
    }

    return parsed;
  });
}

/** Splits `host:port`; null when the text is not of that shape or the port is out of range. */
export function parseHostPort(text: string): HostPort | null {
  const match = HOST_PORT_SHAPE.exec(text.trim());
  if (match === null) return null;
  const port = Number(match[3]);
  if (port > 65_535) return null;

  return { host: match[1] ?? match[2], port };
}
