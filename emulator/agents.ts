// /agents2 and /agents2/{id}: the workspace's agents from the seed (read-only here).
import { notFound, route, type Reply, type Request, type Route } from './http';
import type { SeedAgent } from './seed';
import type { Ctx } from './store';
import { pageMeta, parsePaging } from './validation';

export function agentJson(ctx: Ctx, a: SeedAgent) {
  return { organization_id: ctx.ws.id, is_deleted: false, ...a };
}

function list(ctx: Ctx, req: Request): Reply {
  const p = parsePaging(req.query);
  const all = ctx.ws.agents;
  return {
    status: 200,
    body: {
      data: all.slice(p.offset, p.offset + p.limit).map((a) => agentJson(ctx, a)),
      meta: pageMeta(p, all.length),
    },
  };
}

function get(ctx: Ctx, req: Request): Reply {
  const a = ctx.ws.agents.find((x) => x.id === req.params.id);
  if (!a) throw notFound('Agent not found');
  return { status: 200, body: agentJson(ctx, a) };
}

export const agentRoutes: Route<Ctx>[] = [route('GET', '/agents2', list), route('GET', '/agents2/:id', get)];
