-- Issue 14: the evaluation's smallest group per workshop, and imports that remember their file
-- and rows. Workshop gains its column with ADD COLUMN rather than Prisma's table redefinition, so
-- the catalogue triggers that update Workshop.catalogVersion stay untouched.

-- AlterTable
ALTER TABLE "Workshop" ADD COLUMN "privacyMinGroup" INTEGER NOT NULL DEFAULT 5;

-- AlterTable
ALTER TABLE "Response" ADD COLUMN "importId" INTEGER;
ALTER TABLE "Response" ADD COLUMN "importKey" TEXT;

-- CreateTable
CREATE TABLE "ResponseImport" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workshopId" INTEGER NOT NULL,
    "formId" INTEGER NOT NULL,
    "fileSha256" TEXT NOT NULL,
    "rows" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ResponseImport_formId_fkey" FOREIGN KEY ("formId") REFERENCES "Form" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ResponseImport_formId_fileSha256_idx" ON "ResponseImport"("formId", "fileSha256");

-- CreateIndex
CREATE INDEX "Response_formId_importKey_idx" ON "Response"("formId", "importKey");
