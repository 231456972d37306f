-- Issue 14: the evaluation's smallest group per workshop, and imports that remember their file
-- and rows (the PostgreSQL twin of prisma/migrations/20261202100000_evaluation_privacy_imports).

-- AlterTable
ALTER TABLE "Workshop" ADD COLUMN "privacyMinGroup" INTEGER NOT NULL DEFAULT 5;

-- AlterTable
ALTER TABLE "Response" ADD COLUMN "importId" INTEGER,
ADD COLUMN "importKey" TEXT;

-- CreateTable
CREATE TABLE "ResponseImport" (
    "id" SERIAL NOT NULL,
    "workshopId" INTEGER NOT NULL,
    "formId" INTEGER NOT NULL,
    "fileSha256" TEXT NOT NULL,
    "rows" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ResponseImport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ResponseImport_formId_fileSha256_idx" ON "ResponseImport"("formId", "fileSha256");

-- CreateIndex
CREATE INDEX "Response_formId_importKey_idx" ON "Response"("formId", "importKey");

-- AddForeignKey
ALTER TABLE "ResponseImport" ADD CONSTRAINT "ResponseImport_formId_fkey" FOREIGN KEY ("formId") REFERENCES "Form"("id") ON DELETE CASCADE ON UPDATE CASCADE;
