-- AlterTable
ALTER TABLE "Workshop" ADD COLUMN "catalogVersion" INTEGER NOT NULL DEFAULT 0;

-- The catalogue's cache key (src/features/catalog/catalog.service.ts): every change to what a
-- catalogue card shows moves its workshop's version, in the same transaction as the change.
-- Stock and updatedAt are left out: buying does not change a card.
CREATE FUNCTION "bump_catalog_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE "Workshop" SET "catalogVersion" = "catalogVersion" + 1 WHERE "id" = OLD."workshopId";
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW."workshopId" <> OLD."workshopId") THEN
    UPDATE "Workshop" SET "catalogVersion" = "catalogVersion" + 1 WHERE "id" = NEW."workshopId";
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Listing_catalogVersion_insert_delete" AFTER INSERT OR DELETE ON "Listing"
  FOR EACH ROW EXECUTE FUNCTION "bump_catalog_version"();
CREATE TRIGGER "Listing_catalogVersion_update"
  AFTER UPDATE OF "workshopId", "shopId", "title", "searchText", "price", "category", "hidden", "deletedAt", "ratingSum", "ratingCount", "createdAt" ON "Listing"
  FOR EACH ROW EXECUTE FUNCTION "bump_catalog_version"();
CREATE TRIGGER "ListingPhoto_catalogVersion" AFTER INSERT OR UPDATE OR DELETE ON "ListingPhoto"
  FOR EACH ROW EXECUTE FUNCTION "bump_catalog_version"();
CREATE TRIGGER "Shop_catalogVersion" AFTER UPDATE OF "workshopId", "name", "city" OR DELETE ON "Shop"
  FOR EACH ROW EXECUTE FUNCTION "bump_catalog_version"();
