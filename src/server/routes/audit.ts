/**
 * `GET /api/v1/admin/audit?from=&limit=` (admin keys only): admin locks, unlocks and config
 * changes from the journal, newest first, with who, when, what and why (src/server/audit.ts).
 */
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../auth.ts';
import { needs } from '../guards.ts';
import { auditEntries } from '../audit.ts';

const DEFAULT_LIMIT = 100;

const auditQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    from: {
      type: 'string',
      description: 'Entries at or after this time (ISO 8601, or a date YYYY-MM-DD)',
      pattern: '^\\d{4}-\\d\\d-\\d\\d(T[0-9:.]+Z?)?$',
    },
    limit: { type: 'string', pattern: '^[0-9]{1,4}$', description: 'At most this many (default 100, max 1000)' },
  },
} as const;

export async function auditRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: { from?: string; limit?: string } }>(
    '/admin/audit',
    { schema: { querystring: auditQuery }, preValidation: needs('admin') },
    async (req) => {
      requireRole(req, 'admin');
      const limit = Math.min(1000, Math.max(1, Number(req.query.limit ?? DEFAULT_LIMIT)));
      // Every admin and config record: few beside the events; the newest are kept after the filter.
      const records = [
        ...app.node.journal({ kind: 'admin', limit: Number.MAX_SAFE_INTEGER }),
        ...app.node.journal({ kind: 'config', limit: Number.MAX_SAFE_INTEGER }),
      ];
      return { entries: auditEntries(records, req.query.from, limit) };
    },
  );
}
