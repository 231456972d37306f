// The sandbox boundary in HTTP: every workshop-scoped router is mounted on workshopRouter,
// whose first middleware turns :workshopId into a WorkshopCtx (or a 404 for non-members).
// A feature cannot forget the check: it never sees a request that has not passed it.
import { Router, type NextFunction, type Request, type Response } from 'express';
import { requireUser } from '../../http/guards.js';
import { enterWorkshop, assertRole, type WorkshopCtx, type WorkshopRole } from './workshops.service.js';

declare module 'express-serve-static-core' {
  interface Locals {
    ctx: WorkshopCtx;
  }
}

export const workshopRouter = Router({ mergeParams: true });

/** The current workshop's URL, `/workshops/:id`. */
export const workshopBase = (res: Response): string => `/workshops/${res.locals.ctx.workshopId}`;

// Only numeric ids are workshops: /workshops/new and the like belong to other routers.
workshopRouter.use((req, _res, next) => next(/^[1-9]\d{0,15}$/.test(req.params.workshopId as string) ? undefined : 'router'));

workshopRouter.use(requireUser, async (req: Request, res: Response, next: NextFunction) => {
  const user = res.locals.currentUser!;
  const ctx = await enterWorkshop(user.id, Number(req.params.workshopId));
  res.locals.ctx = ctx;
  req.session.lastWorkshopId = ctx.workshopId;
  next();
});

/** Per-workshop roles: a member without the role gets 403 (they can see the workshop). */
export function requireWorkshopRole(...roles: WorkshopRole[]) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    assertRole(res.locals.ctx, ...roles);
    next();
  };
}
