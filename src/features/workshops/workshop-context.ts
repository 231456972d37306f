// The sandbox boundary in HTTP: every workshop-scoped router sits behind workshopGate, which
// turns :workshopId into a WorkshopCtx (or a 404 for non-members). A feature cannot forget the
// check: its router only sees requests that passed it (the route table, src/routes.ts, puts
// every workshop router behind it).
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { requireUser } from '../../http/guards.js';
import { isId } from '../../http/params.js';
import { enterActing, recordActingRequest, type ActingCtx } from './acting.service.js';
import { enterWorkshop, assertRole, type WorkshopCtx, type WorkshopRole } from './workshops.service.js';

declare module 'express-serve-static-core' {
  interface Locals {
    /** An ActingCtx (with actingStaffId) while staff act as the workshop's demo trainee. */
    ctx: WorkshopCtx | ActingCtx;
  }
}

/** The current workshop's URL, `/workshops/:id`. */
export const workshopBase = (res: Response): string => `/workshops/${res.locals.ctx.workshopId}`;

/** Only numeric ids are workshops: /workshops/new and the like belong to other routers. */
const onlyWorkshopIds: RequestHandler = (req, _res, next) => next(isId(req.params.workshopId) ? undefined : 'router');

const enterAsMember: RequestHandler = async (req, res, next) => {
  const userId = res.locals.currentUser!.id;
  const workshopId = Number(req.params.workshopId);
  const acting = req.session.actingAs;
  let ctx: WorkshopCtx | null = null;
  if (acting?.workshopId === workshopId) {
    // Staff acting as the demo trainee (acting.service.ts): checked again on every request.
    const actingCtx = await enterActing(userId, acting);
    if (actingCtx) {
      if (req.method !== 'GET' && req.method !== 'HEAD') await recordActingRequest(actingCtx, req.method, req.originalUrl);
      ctx = actingCtx;
    } else delete req.session.actingAs;
  }
  // A page she sees (GET) shows the tab bar's badge: read with the membership (chat.routes.ts shows it).
  ctx ??= await enterWorkshop(userId, workshopId, { withUnread: req.method === 'GET' });
  res.locals.ctx = ctx;
  req.session.lastWorkshopId = ctx.workshopId;
  next();
};

/** In front of every workshop router, on /workshops/:workshopId: a signed-in member, or no further. */
export const workshopGate: RequestHandler[] = [onlyWorkshopIds, requireUser, enterAsMember];

/** Per-workshop roles: a member without the role gets 403 (they can see the workshop). */
export function requireWorkshopRole(...roles: WorkshopRole[]) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    assertRole(res.locals.ctx, ...roles);
    next();
  };
}
