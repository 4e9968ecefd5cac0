/**
 * `GET /api/v1/instruments` (DESIGN §2, §6): the instrument table the node prices with — the
 * built-ins overridden and extended by the config's `instruments` — as decimal strings.
 */
import type { FastifyInstance } from 'fastify';
import { builtInInstruments, InstrumentTable } from '../../domain/instrument.ts';
import { div, formatFixed } from '../../domain/money.ts';
import { requireRole } from '../auth.ts';

export async function instrumentRoutes(app: FastifyInstance): Promise<void> {
  app.get('/instruments', async (req) => {
    requireRole(req, 'viewer');
    const overrides = app.node.config?.instruments ?? [];
    const fromConfig = new Set(overrides.map((o) => o.symbol));
    const builtIn = new Set(builtInInstruments().map((i) => i.symbol));
    const instruments = InstrumentTable.withOverrides(overrides)
      .all()
      .map((i) => ({
        symbol: i.symbol,
        tickSize: formatFixed(i.tickSize),
        tickValue: formatFixed(i.tickValue),
        pointValue: formatFixed(div(i.tickValue, i.tickSize)),
        currency: i.currency,
        source: fromConfig.has(i.symbol) ? (builtIn.has(i.symbol) ? 'config-override' : 'config') : 'built-in',
      }))
      .sort((a, b) => a.symbol.localeCompare(b.symbol));
    return { instruments };
  });
}
