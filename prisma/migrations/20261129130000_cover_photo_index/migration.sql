-- DropIndex
DROP INDEX "ListingPhoto_listingId_position_idx";

-- CreateIndex
CREATE INDEX "ListingPhoto_listingId_position_thumbPath_idx" ON "ListingPhoto"("listingId", "position", "thumbPath");
