-- CreateTable
CREATE TABLE "ChatThread" (
    "id" SERIAL NOT NULL,
    "workshopId" INTEGER NOT NULL,
    "shopId" INTEGER NOT NULL,
    "buyerId" INTEGER NOT NULL,
    "orderId" INTEGER,
    "buyerUnread" INTEGER NOT NULL DEFAULT 0,
    "sellerUnread" INTEGER NOT NULL DEFAULT 0,
    "lastMessageAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChatThread_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChatMessage" (
    "id" SERIAL NOT NULL,
    "threadId" INTEGER NOT NULL,
    "senderId" INTEGER NOT NULL,
    "fromShop" BOOLEAN NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChatMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DrillSend" (
    "id" SERIAL NOT NULL,
    "workshopId" INTEGER NOT NULL,
    "scenario" TEXT NOT NULL,
    "sentById" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DrillSend_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DrillDelivery" (
    "id" SERIAL NOT NULL,
    "sendId" INTEGER NOT NULL,
    "traineeId" INTEGER NOT NULL,
    "openedAt" TIMESTAMP(3),
    "outcome" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DrillDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DrillReaction" (
    "id" SERIAL NOT NULL,
    "deliveryId" INTEGER NOT NULL,
    "reaction" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DrillReaction_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ChatThread_workshopId_lastMessageAt_idx" ON "ChatThread"("workshopId", "lastMessageAt");

-- CreateIndex
CREATE INDEX "ChatThread_buyerId_workshopId_idx" ON "ChatThread"("buyerId", "workshopId");

-- CreateIndex
CREATE INDEX "ChatThread_shopId_lastMessageAt_idx" ON "ChatThread"("shopId", "lastMessageAt");

-- CreateIndex
CREATE INDEX "ChatThread_orderId_idx" ON "ChatThread"("orderId");

-- CreateIndex
CREATE INDEX "ChatMessage_threadId_id_idx" ON "ChatMessage"("threadId", "id");

-- CreateIndex
CREATE INDEX "DrillSend_workshopId_id_idx" ON "DrillSend"("workshopId", "id");

-- CreateIndex
CREATE INDEX "DrillDelivery_traineeId_idx" ON "DrillDelivery"("traineeId");

-- CreateIndex
CREATE UNIQUE INDEX "DrillDelivery_sendId_traineeId_key" ON "DrillDelivery"("sendId", "traineeId");

-- CreateIndex
CREATE INDEX "DrillReaction_deliveryId_idx" ON "DrillReaction"("deliveryId");

-- AddForeignKey
ALTER TABLE "ChatThread" ADD CONSTRAINT "ChatThread_workshopId_fkey" FOREIGN KEY ("workshopId") REFERENCES "Workshop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatThread" ADD CONSTRAINT "ChatThread_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatThread" ADD CONSTRAINT "ChatThread_buyerId_fkey" FOREIGN KEY ("buyerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatThread" ADD CONSTRAINT "ChatThread_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatMessage" ADD CONSTRAINT "ChatMessage_threadId_fkey" FOREIGN KEY ("threadId") REFERENCES "ChatThread"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatMessage" ADD CONSTRAINT "ChatMessage_senderId_fkey" FOREIGN KEY ("senderId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DrillSend" ADD CONSTRAINT "DrillSend_workshopId_fkey" FOREIGN KEY ("workshopId") REFERENCES "Workshop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DrillSend" ADD CONSTRAINT "DrillSend_sentById_fkey" FOREIGN KEY ("sentById") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DrillDelivery" ADD CONSTRAINT "DrillDelivery_sendId_fkey" FOREIGN KEY ("sendId") REFERENCES "DrillSend"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DrillDelivery" ADD CONSTRAINT "DrillDelivery_traineeId_fkey" FOREIGN KEY ("traineeId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DrillReaction" ADD CONSTRAINT "DrillReaction_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "DrillDelivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;

