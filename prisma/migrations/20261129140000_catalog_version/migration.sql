-- AlterTable
ALTER TABLE "Workshop" ADD COLUMN "catalogVersion" INTEGER NOT NULL DEFAULT 0;

-- The catalogue's cache key (src/features/catalog/catalog.service.ts): every change to what a
-- catalogue card shows moves its workshop's version, in the same transaction as the change.
-- Stock and updatedAt are left out: buying does not change a card.
CREATE TRIGGER "Listing_catalogVersion_insert" AFTER INSERT ON "Listing"
BEGIN
  UPDATE "Workshop" SET "catalogVersion" = "catalogVersion" + 1 WHERE "id" = NEW."workshopId";
END;

CREATE TRIGGER "Listing_catalogVersion_update"
AFTER UPDATE OF "workshopId", "shopId", "title", "searchText", "price", "category", "hidden", "deletedAt", "ratingSum", "ratingCount", "createdAt" ON "Listing"
BEGIN
  UPDATE "Workshop" SET "catalogVersion" = "catalogVersion" + 1 WHERE "id" IN (OLD."workshopId", NEW."workshopId");
END;

CREATE TRIGGER "Listing_catalogVersion_delete" AFTER DELETE ON "Listing"
BEGIN
  UPDATE "Workshop" SET "catalogVersion" = "catalogVersion" + 1 WHERE "id" = OLD."workshopId";
END;

CREATE TRIGGER "ListingPhoto_catalogVersion_insert" AFTER INSERT ON "ListingPhoto"
BEGIN
  UPDATE "Workshop" SET "catalogVersion" = "catalogVersion" + 1 WHERE "id" = NEW."workshopId";
END;

CREATE TRIGGER "ListingPhoto_catalogVersion_update" AFTER UPDATE ON "ListingPhoto"
BEGIN
  UPDATE "Workshop" SET "catalogVersion" = "catalogVersion" + 1 WHERE "id" IN (OLD."workshopId", NEW."workshopId");
END;

CREATE TRIGGER "ListingPhoto_catalogVersion_delete" AFTER DELETE ON "ListingPhoto"
BEGIN
  UPDATE "Workshop" SET "catalogVersion" = "catalogVersion" + 1 WHERE "id" = OLD."workshopId";
END;

CREATE TRIGGER "Shop_catalogVersion_update" AFTER UPDATE OF "workshopId", "name", "city" ON "Shop"
BEGIN
  UPDATE "Workshop" SET "catalogVersion" = "catalogVersion" + 1 WHERE "id" IN (OLD."workshopId", NEW."workshopId");
END;

CREATE TRIGGER "Shop_catalogVersion_delete" AFTER DELETE ON "Shop"
BEGIN
  UPDATE "Workshop" SET "catalogVersion" = "catalogVersion" + 1 WHERE "id" = OLD."workshopId";
END;
