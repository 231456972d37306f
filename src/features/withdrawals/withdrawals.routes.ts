// The seller's balance page and "Tarik saldo" (mounted at /shop/balance in a workshop), and the
// receipts of her withdrawals.
import { Router, type Response } from 'express';
import { setFlash } from '../../http/flash.js';
import { idFrom, idParam } from '../../http/params.js';
import { backOnRefusal } from '../../http/refusals.js';
import { formHandler } from '../../http/validation.js';
import { requireWorkshopRole, workshopBase } from '../workshops/workshop-context.js';
import { banks, withdrawalSchema } from './withdrawals.schemas.js';
import { getBalancePage, getWithdrawalReceipt, maskAccountNumber, requestWithdrawal } from './withdrawals.service.js';

export const balanceRouter = Router();
balanceRouter.param('withdrawalId', idParam);

const balanceUrl = (res: Response) => `${workshopBase(res)}/shop/balance`;

async function balanceLocals(res: Response) {
  const page = await getBalancePage(res.locals.ctx);
  return { ...page, banks, maskAccountNumber, title: res.locals.t('withdrawals:title') };
}

balanceRouter.get('/', async (_req, res) => {
  const locals = await balanceLocals(res);
  res.render('withdrawals/balance', { ...locals, values: locals.lastAccount ?? {}, errors: {} });
});

balanceRouter.post(
  '/withdraw',
  requireWorkshopRole('trainee'),
  formHandler({
    schema: withdrawalSchema,
    view: 'withdrawals/balance',
    locals: (_req, res) => balanceLocals(res),
    handle: async (data, req, res) => {
      backOnRefusal(res, balanceUrl(res));
      const id = await requestWithdrawal(res.locals.ctx, data);
      setFlash(req, 'success', 'withdrawals:requested');
      res.redirect(303, `${balanceUrl(res)}/${id}`);
    },
  }),
);

balanceRouter.get('/:withdrawalId', async (req, res) => {
  const withdrawal = await getWithdrawalReceipt(res.locals.ctx, idFrom(req, 'withdrawalId'));
  res.render('withdrawals/receipt', {
    withdrawal,
    maskedAccount: maskAccountNumber(withdrawal.accountNumber),
    title: res.locals.t('withdrawals:receipt.title'),
  });
});
