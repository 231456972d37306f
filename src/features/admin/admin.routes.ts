import { Router } from 'express';
import { setFlash } from '../../http/flash.js';
import { requireRole } from '../../http/guards.js';
import { formHandler } from '../../http/validation.js';
import { newAccountSchema } from '../auth/auth.schemas.js';
import { createUser, listStaffAccounts } from '../auth/auth.service.js';

/** Mounted at /admin: admins only. */
export const adminRouter = Router();

adminRouter.use(requireRole('admin'));

const accountsLocals = async () => ({ accounts: await listStaffAccounts() });

adminRouter.get('/users', async (_req, res) => {
  res.render('admin/users', { ...(await accountsLocals()), values: { role: 'tutor' }, errors: {} });
});

adminRouter.post(
  '/users',
  formHandler({
    schema: newAccountSchema,
    view: 'admin/users',
    locals: accountsLocals,
    handle: async (data, req, res) => {
      const user = await createUser(data);
      setFlash(req, 'success', 'admin:created', { username: user.username });
      res.redirect(303, '/admin/users');
    },
  }),
);
