/**
 * `POST /api/v1/analytics/{greeks,iv,maxpain,var,optimize}` (DESIGN §6): the CLI's analytics
 * (src/cli/commands/analytics.ts) with JSON bodies instead of files. The models are
 * floating-point: inputs are JSON numbers or numeric strings, outputs numbers. Sizes are bounded
 * so one request cannot hold the event loop for long.
 */
import type { FastifyInstance } from 'fastify';
import { greeksForRow } from '../../analytics/greeks-csv.ts';
import { impliedVolatility } from '../../analytics/implied-vol.ts';
import { maxPain, parseOptionChain } from '../../analytics/option-chain.ts';
import { valueOption, validateOptionSpec, type OptionSpec } from '../../analytics/option-pricing.ts';
import {
  OPTIMIZER_METHODS,
  estimateMoments,
  optimizePortfolio,
  type OptimizerMethod,
} from '../../analytics/portfolio-optimizer.ts';
import { historicalVar, parametricVar, simpleReturns, type RiskEstimate } from '../../analytics/value-at-risk.ts';
import { AppError } from '../../errors.ts';
import { needs } from '../guards.ts';

type Num = number | string;
const num = { anyOf: [{ type: 'number' }, { type: 'string', pattern: '^-?\\d{1,18}(\\.\\d{1,18})?$' }] } as const;
const series = (max: number) => ({ type: 'array', minItems: 1, maxItems: max, items: num }) as const;
const optionProps = {
  model: { type: 'string', enum: ['bsm', 'black76'] },
  type: { type: 'string', enum: ['call', 'put'] },
  underlying: num,
  strike: num,
  years: num,
  rate: num,
  dividendYield: num,
} as const;

interface OptionBody {
  id?: string;
  model?: 'bsm' | 'black76';
  type: 'call' | 'put';
  underlying: Num;
  strike: Num;
  years: Num;
  rate?: Num;
  dividendYield?: Num;
  volatility?: Num;
  price?: Num;
}

const toNum = (field: string, v: Num | undefined, fallback?: number): number => {
  if (v === undefined) {
    if (fallback === undefined) throw new AppError('ERR_ANALYTICS_INPUT', `body.${field}: required`);
    return fallback;
  }
  const x = Number(v);
  if (!Number.isFinite(x)) throw new AppError('ERR_ANALYTICS_INPUT', `body.${field}: not a finite number`);
  return x;
};

function specOf(o: OptionBody, where: string, volatility: number): OptionSpec {
  return {
    model: o.model ?? 'bsm',
    type: o.type,
    underlying: toNum(`${where}underlying`, o.underlying),
    strike: toNum(`${where}strike`, o.strike),
    timeToExpiry: toNum(`${where}years`, o.years),
    rate: toNum(`${where}rate`, o.rate, 0),
    dividendYield: toNum(`${where}dividendYield`, o.dividendYield, 0),
    volatility,
  };
}

const greeksOption = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'underlying', 'strike', 'years', 'volatility'],
  properties: { id: { type: 'string', maxLength: 100 }, ...optionProps, volatility: num, price: num },
} as const;
const strike = {
  type: 'object',
  additionalProperties: false,
  required: ['strike', 'call_oi', 'put_oi'],
  properties: {
    strike: { type: 'number' },
    call_oi: { type: 'number' },
    put_oi: { type: 'number' },
    call_volume: { type: 'number' },
    put_volume: { type: 'number' },
  },
} as const;
interface VarBody {
  returns?: Num[];
  prices?: Num[];
  confidence?: Num[];
  method?: 'historical' | 'parametric' | 'both';
  portfolioValue?: Num;
  horizonDays?: Num;
}
const varSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    returns: series(100_000),
    prices: series(100_000),
    confidence: { type: 'array', minItems: 1, maxItems: 10, items: num },
    method: { type: 'string', enum: ['historical', 'parametric', 'both'] },
    portfolioValue: num,
    horizonDays: num,
  },
} as const;
interface OptimizeBody {
  series: Record<string, Num[]>;
  method?: OptimizerMethod;
  maxWeight?: Num;
  riskFree?: Num;
  riskAversion?: Num;
}
const optimizeSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['series'],
  properties: {
    series: {
      type: 'object',
      minProperties: 1,
      maxProperties: 50,
      propertyNames: { maxLength: 100 },
      additionalProperties: series(20_000),
    },
    method: { type: 'string', enum: OPTIMIZER_METHODS },
    maxWeight: num,
    riskFree: num,
    riskAversion: num,
  },
} as const;

const greeksSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['options'],
  properties: { options: { type: 'array', minItems: 1, maxItems: 1000, items: greeksOption } },
} as const;
const ivSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'underlying', 'strike', 'years', 'price'],
  properties: { ...optionProps, price: num },
} as const;
/** The chain file of shared/data/options (its descriptive keys allowed). */
const chainSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['chain'],
  properties: {
    name: { type: 'string', maxLength: 200 },
    description: { type: 'string', maxLength: 2000 },
    definition: { type: 'string', maxLength: 2000 },
    multiplier: { type: 'number' },
    chain: { type: 'array', minItems: 1, maxItems: 5000, items: strike },
  },
} as const;

function greeks(options: OptionBody[]): unknown {
  const results = options.map((o, i) => {
    const where = `options.${i}.`;
    const spec = specOf(o, where, toNum(`${where}volatility`, o.volatility));
    validateOptionSpec(spec, { requireVolatility: true });
    const ivCheckPrice = o.price === undefined ? undefined : toNum(`${where}price`, o.price);
    return greeksForRow({ row: i + 1, id: o.id ?? String(i + 1), spec, ivCheckPrice });
  });
  return { results };
}

function iv(b: OptionBody): unknown {
  const spec = specOf(b, '', Number.NaN);
  const vol = impliedVolatility(spec, toNum('price', b.price));
  const v = valueOption({ ...spec, volatility: vol });
  return { iv: vol, price: v.price, delta: v.delta, gamma: v.gamma, vega: v.vega, theta: v.theta, rho: v.rho };
}

function valueAtRisk(b: VarBody): unknown {
  if ((b.returns === undefined) === (b.prices === undefined))
    throw new AppError('ERR_ANALYTICS_INPUT', 'body.returns: give either returns or prices');
  const values = (b.returns ?? b.prices)!.map((x, i) => toNum(`${b.returns ? 'returns' : 'prices'}.${i}`, x));
  const returns = b.prices ? simpleReturns(values) : values;
  const base = {
    portfolioValue: toNum('portfolioValue', b.portfolioValue, 1),
    horizonDays: toNum('horizonDays', b.horizonDays, 1),
  };
  const method = b.method ?? 'both';
  const results: RiskEstimate[] = [];
  for (const [i, c] of (b.confidence ?? [0.95, 0.99]).entries()) {
    const confidence = toNum(`confidence.${i}`, c);
    if (method !== 'parametric') results.push(historicalVar(returns, { ...base, confidence }));
    if (method !== 'historical') results.push(parametricVar(returns, { ...base, confidence }));
  }
  return { results };
}

function optimize(b: OptimizeBody): unknown {
  const names = Object.keys(b.series);
  const columns = names.map((n) => b.series[n]!.map((x, i) => toNum(`series.${n}.${i}`, x)));
  if (new Set(columns.map((c) => c.length)).size > 1)
    throw new AppError('ERR_ANALYTICS_INPUT', 'body.series: every series needs the same number of returns');
  const { expectedReturns, covariance } = estimateMoments(columns);
  const r = optimizePortfolio(b.method ?? 'max-sharpe', expectedReturns, covariance, {
    maxWeight: toNum('maxWeight', b.maxWeight, 0.4),
    riskFreeRate: toNum('riskFree', b.riskFree, 0),
    riskAversion: toNum('riskAversion', b.riskAversion, 1),
  });
  const byName = (xs: number[]) => Object.fromEntries(names.map((n, i) => [n, xs[i]]));
  const { method, expectedReturn, volatility, sharpe } = r;
  return {
    method,
    weights: byName(r.weights),
    riskContributions: byName(r.riskContributions),
    expectedReturn,
    volatility,
    sharpe,
  };
}

export async function analyticsRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('preValidation', needs('viewer'));
  app.post<{ Body: { options: OptionBody[] } }>('/analytics/greeks', { schema: { body: greeksSchema } }, async (req) =>
    greeks(req.body.options),
  );
  app.post<{ Body: OptionBody }>('/analytics/iv', { schema: { body: ivSchema } }, async (req) => iv(req.body));
  app.post<{ Body: unknown }>('/analytics/maxpain', { schema: { body: chainSchema } }, async (req) => {
    const r = maxPain(parseOptionChain(req.body));
    return {
      maxPainStrike: r.maxPainStrike,
      minTotalPayout: r.minTotalPayout,
      payoutBySettlementPrice: r.payoutBySettlementPrice,
    };
  });
  app.post<{ Body: VarBody }>('/analytics/var', { schema: { body: varSchema } }, async (req) => valueAtRisk(req.body));
  app.post<{ Body: OptimizeBody }>('/analytics/optimize', { schema: { body: optimizeSchema } }, async (req) =>
    optimize(req.body),
  );
}
