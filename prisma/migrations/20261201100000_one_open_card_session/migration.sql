-- One open card payment (Checkout Session) per checkout, enforced by the database.
-- AlterTable
ALTER TABLE "Payment" ADD COLUMN "openCardCheckoutId" INTEGER;

-- The newest pending card payment of each checkout holds its claim.
UPDATE "Payment" SET "openCardCheckoutId" = "checkoutId"
WHERE "method" = 'card' AND "status" = 'pending' AND "id" = (
  SELECT MAX(p2."id") FROM "Payment" p2 WHERE p2."checkoutId" = "Payment"."checkoutId" AND p2."method" = 'card' AND p2."status" = 'pending'
);

-- CreateIndex
CREATE UNIQUE INDEX "Payment_openCardCheckoutId_key" ON "Payment"("openCardCheckoutId");
