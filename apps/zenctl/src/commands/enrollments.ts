import type { CliIo } from '../lib/io';
import type { AdminClient } from './admin-client';
import { printJson, printLine, printTable } from './output';

/** One enrollment as `GET /v1/admin/enrollments` lists it (snake_case wire fields). */
export interface EnrollmentView {
  enrollment_id: string;
  spiffe_id: string;
  status: string;
  component?: string;
  name?: string;
  created_at?: string;
  confirm_by?: string;
  confirmed_at?: string | null;
  last_serial?: string | null;
  expires_at?: string | null;
}

/**
 * `zenctl enrollments list [--json]`: a table of enrollments (status pending, active, void or
 * evicted), or the server's JSON.
 */
export async function enrollmentsList(
  io: CliIo,
  client: AdminClient,
  opts: { json?: boolean },
): Promise<void> {
  const answer = await client.get<{ enrollments: EnrollmentView[] } | EnrollmentView[]>(
    '/v1/admin/enrollments',
  );
  const enrollments = Array.isArray(answer) ? answer : (answer?.enrollments ?? []);
  if (opts.json) return printJson(io, { enrollments });

  if (enrollments.length === 0) return printLine(io, 'no enrollments');
  printTable(
    io,
    ['SPIFFE ID', 'STATUS', 'ENROLLMENT', 'SERIAL', 'EXPIRES'],
    enrollments.map((e) => [
      e.spiffe_id,
      e.status,
      e.enrollment_id,
      e.last_serial ?? '-',
      e.expires_at ?? '-',
    ]),
  );
}

/** `zenctl evict <spiffe-id>`: evicts an identity; its SVIDs are refused from now on. */
export async function evict(io: CliIo, client: AdminClient, spiffeId: string): Promise<void> {
  const answer = await client.post<{ serials?: string[] } | null>('/v1/admin/evict', {
    spiffe_id: spiffeId,
  });
  const serials = answer?.serials?.length;

  printLine(io, `evicted ${spiffeId}${serials ? ` (${serials} SVID serials revoked)` : ''}`);
}
