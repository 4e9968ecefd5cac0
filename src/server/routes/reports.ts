/**
 * Reports of an account (issue 18): the daily report (JSON, CSV or a readable HTML page) and the
 * shadow report — what riskgate would have done that day — for a trading day (default: the
 * current one). Readable by every role that may see the account; a foreign account is a 404.
 */
import type { FastifyInstance } from 'fastify';
import { visibleAccount } from '../auth.ts';
import { shadowReportOf } from '../../node/daily-report.ts';
import { dailyReportCsv, dailyReportHtml } from '../../node/daily-report-format.ts';

const accountParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;
const date = { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' } as const;

interface ReportReq {
  Params: { id: string };
  Querystring: { date?: string; format?: 'json' | 'csv' | 'html' };
}

export async function reportRoutes(app: FastifyInstance): Promise<void> {
  app.get<ReportReq>(
    '/accounts/:id/reports/daily',
    {
      schema: {
        params: accountParams,
        querystring: {
          type: 'object',
          properties: { date, format: { type: 'string', enum: ['json', 'csv', 'html'] } },
          additionalProperties: false,
        },
      },
    },
    async (req, reply) => {
      const report = app.node.dailyReport(visibleAccount(req, req.params.id), req.query.date);
      if (req.query.format === 'csv') return reply.type('text/csv; charset=utf-8').send(dailyReportCsv(report));
      if (req.query.format === 'html') return reply.type('text/html; charset=utf-8').send(dailyReportHtml(report));
      return report;
    },
  );
  app.get<ReportReq>(
    '/accounts/:id/shadow-report',
    {
      schema: {
        params: accountParams,
        querystring: { type: 'object', properties: { date }, additionalProperties: false },
      },
    },
    async (req) => shadowReportOf(app.node.dailyReport(visibleAccount(req, req.params.id), req.query.date)),
  );
}
