import { Readable } from 'node:stream';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  chatsCsv,
  coverage,
  coverageCsv,
  type DashboardContext,
  type DashboardQuery,
  operators,
  overview,
  ratings,
  resolveRange,
  volume,
  wait,
} from '../metrics/dashboard.js';
import { metricsForStore } from '../metrics/for-store.js';
import { staffing, staffingCsv } from '../metrics/staffing-report.js';
import { TeamMetricsSource } from '../metrics/team-source.js';
import { calendarFor, formatDate } from '../metrics/tz.js';
import { refuse } from '../transport/refuse.js';
import { myFiguresRoutes } from './my-figures-routes.js';
import { requireOperator } from './require-operator.js';

const DATE = '^\\d{4}-\\d{2}-\\d{2}$';

/** Query of every dashboard endpoint: dates are local dates of the site (its timezone), both inclusive. */
export const DashboardQuerystring = Type.Object(
  {
    site: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'site id; optional if the owner has one site',
      }),
    ),
    from: Type.Optional(
      Type.String({ pattern: DATE, description: 'first day, YYYY-MM-DD; default: 6 days before `to`' }),
    ),
    to: Type.Optional(Type.String({ pattern: DATE, description: 'last day, YYYY-MM-DD; default: today' })),
    operator: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'only this operator’s figures' }),
    ),
    teamId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'only the chats of this team of the site, and the team’s coverage',
      }),
    ),
  },
  { additionalProperties: false },
);
export type DashboardQuerystring = Static<typeof DashboardQuerystring>;

/** The staffing planner's query: the dashboard range (the weeks measured) and the service target. */
export const StaffingQuerystring = Type.Object(
  {
    ...DashboardQuerystring.properties,
    target: Type.Optional(
      Type.Number({
        minimum: 0.5,
        maximum: 0.99,
        description: 'share of chats to answer within the SLA; default 0.8',
      }),
    ),
    sla: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 3600,
        description: 'answer within this many seconds; default: the site’s SLA',
      }),
    ),
    capacity: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 50,
        description: 'chats one operator handles at once; default: mean capacity of the active operators',
      }),
    ),
  },
  { additionalProperties: false },
);
type StaffingQuerystring = Static<typeof StaffingQuerystring>;

type Req = FastifyRequest<{ Querystring: DashboardQuerystring }>;

/**
 * Resolves site, range and metrics source of a dashboard request, or answers the error itself and
 * returns null. `self` scopes every figure to the caller (an operator's own dashboard): the operator
 * filter is theirs, and colleagues' names are not even loaded.
 */
export async function dashboardContext(
  app: FastifyInstance,
  req: Req,
  reply: FastifyReply,
  self = false,
): Promise<{ ctx: DashboardContext; q: DashboardQuery } | null> {
  const op = req.operator!;
  const scope = req.siteScope ?? op.siteIds;
  const siteId = req.query.site ?? (scope.length === 1 ? scope[0] : undefined);
  if (siteId === undefined) {
    refuse(reply, 'validation', '"site" is required (you have several sites)');
    return null;
  }
  if (!scope.includes(siteId)) {
    refuse(reply, 'forbidden', 'Not one of your sites');
    return null;
  }
  const site = await app.store.getSite(siteId);
  if (!site) {
    refuse(reply, 'not_found', 'Site not found');
    return null;
  }
  const metrics = metricsForStore(app.store);
  if (!metrics) {
    refuse(reply, 'invalid_state', 'This store has no metrics layer');
    return null;
  }
  const teamId = req.query.teamId;
  if (teamId !== undefined && !site.teams.some((t) => t.id === teamId)) {
    refuse(reply, 'validation', '"teamId" is not a team of this site');
    return null;
  }
  // A team's figures count only the chats whose last team is that one, and the team's coverage.
  const source = teamId === undefined ? metrics : new TeamMetricsSource(metrics, teamId);
  const now = app.clock.now();
  const range = resolveRange(calendarFor(site.timezone), now, req.query.from, req.query.to);
  if ('error' in range) {
    refuse(reply, 'validation', range.error);
    return null;
  }
  const ops = self
    ? [{ id: op.id, name: op.name }]
    : (await app.store.listOperators(site.id)).map((o) => ({ id: o.id, name: o.name }));
  return {
    ctx: { source, now, site, operators: ops },
    q: { range, operatorId: self ? op.id : (req.query.operator ?? null) },
  };
}

/**
 * Owner dashboards (issue #5; definitions in DESIGN §5 and docs/metrics.md). Owners see the sites they
 * belong to; operators get 403 here and read their own figures at /api/dashboard/mine. Every JSON answer
 * holds the range, the previous period of equal length and both periods' figures with their comparison.
 */
export async function dashboardRoutes(app: FastifyInstance) {
  const owner = requireOperator(app, 'owner');
  const context = (req: Req, reply: FastifyReply) => dashboardContext(app, req, reply);

  const schema = { querystring: DashboardQuerystring };
  const json = (path: string, compute: (ctx: DashboardContext, q: DashboardQuery) => Promise<unknown>) =>
    app.get<{ Querystring: DashboardQuerystring }>(
      path,
      { preHandler: owner, schema, config: { rateLimit: { max: 120, timeWindow: '1 minute' } } },
      async (req, reply) => {
        const c = await context(req, reply);
        if (!c) return reply;
        return compute(c.ctx, c.q);
      },
    );

  json('/api/dashboard/overview', overview);
  json('/api/dashboard/coverage', coverage);
  json('/api/dashboard/wait', wait);
  json('/api/dashboard/ratings', ratings);
  json('/api/dashboard/volume', volume);
  json('/api/dashboard/operators', operators);

  const fileName = (kind: string, ctx: DashboardContext, q: DashboardQuery) =>
    `${kind}-${ctx.site.key.replace(/[^A-Za-z0-9_-]/g, '_')}-${formatDate(q.range.from)}-${formatDate(q.range.to)}.csv`;
  const exportConfig = {
    preHandler: owner,
    schema,
    config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
  };

  app.get<{ Querystring: DashboardQuerystring }>(
    '/api/dashboard/export/chats.csv',
    exportConfig,
    async (req, reply) => {
      const c = await context(req, reply);
      if (!c) return reply;
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName('chats', c.ctx, c.q)}"`);
      // Streamed: a year of a busy site is a million rows.
      return reply.send(Readable.from(chatsCsv(c.ctx, c.q)));
    },
  );

  app.get<{ Querystring: DashboardQuerystring }>(
    '/api/dashboard/export/coverage.csv',
    exportConfig,
    async (req, reply) => {
      const c = await context(req, reply);
      if (!c) return reply;
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName('coverage', c.ctx, c.q)}"`);
      return coverageCsv(c.ctx, c.q);
    },
  );

  /**
   * Staffing planner: for each hour of the week, operators needed (Erlang C with each operator's
   * capacity) beside the average online, from the range's volume and handling time (docs/metrics.md).
   */
  const staffingOf = async (
    req: FastifyRequest<{ Querystring: StaffingQuerystring }>,
    reply: FastifyReply,
  ) => {
    // The dashboard fields of the query are the same; `target` is the planner's own.
    const c = await context(req as unknown as Req, reply);
    const target = req.query.target;
    if (!c) return null;
    let capacity = req.query.capacity;
    if (capacity === undefined) {
      const active = (await app.store.listOperators(c.ctx.site.id)).filter((o) => o.active);
      capacity = active.length > 0 ? active.reduce((n, o) => n + o.capacity, 0) / active.length : 1;
    }
    const opts = { target: target ?? 0.8, capacity, slaSeconds: req.query.sla };
    return { c, report: await staffing(c.ctx, c.q, opts) };
  };
  const staffingConfig = {
    preHandler: owner,
    schema: { querystring: StaffingQuerystring },
    config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
  };
  app.get<{ Querystring: StaffingQuerystring }>(
    '/api/dashboard/staffing',
    staffingConfig,
    async (req, reply) => {
      const r = await staffingOf(req, reply);
      return r ? r.report : reply;
    },
  );
  app.get<{ Querystring: StaffingQuerystring }>(
    '/api/dashboard/export/staffing.csv',
    staffingConfig,
    async (req, reply) => {
      const r = await staffingOf(req, reply);
      if (!r) return reply;
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName('staffing', r.c.ctx, r.c.q)}"`);
      return staffingCsv(r.report);
    },
  );

  await myFiguresRoutes(app);
}
