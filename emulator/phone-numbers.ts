// /organization-phone-numbers: the workspace's numbers from the seed, paged.
import { route, type Reply, type Request, type Route } from './http';
import type { Ctx } from './store';
import { pageMeta, parsePaging } from './validation';

function list(ctx: Ctx, req: Request): Reply {
  const p = parsePaging(req.query);
  const all = ctx.ws.phoneNumbers;
  const data = all.slice(p.offset, p.offset + p.limit).map((n) => ({ organization_id: ctx.ws.id, ...n }));
  return { status: 200, body: { data, meta: pageMeta(p, all.length) } };
}

export const phoneNumberRoutes: Route<Ctx>[] = [route('GET', '/organization-phone-numbers', list)];
