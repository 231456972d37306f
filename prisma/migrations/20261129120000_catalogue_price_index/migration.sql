-- CreateIndex
CREATE INDEX "Listing_workshopId_hidden_deletedAt_price_idx" ON "Listing"("workshopId", "hidden", "deletedAt", "price");
