-- DropIndex
DROP INDEX "Answer_questionId_value_responseId_idx";

-- AlterTable
ALTER TABLE "Answer" ADD COLUMN "ageBand" TEXT;
ALTER TABLE "Answer" ADD COLUMN "gender" TEXT;
ALTER TABLE "Answer" ADD COLUMN "occupation" TEXT;
ALTER TABLE "Answer" ADD COLUMN "sessionId" INTEGER;

-- Each answer carries its response's session and identity answers, so that the evaluation counts
-- a filtered group from one covering index (Answer_evaluation_filters_idx) instead of looking up
-- the response of every answer: at 100,000 responses that lookup was most of a filtered report.
-- The copies are kept here, by the database, whoever writes answers (app, import, builders, bench).
UPDATE "Answer" SET ("sessionId", "gender", "ageBand", "occupation") =
  (SELECT r."sessionId", r."gender", r."ageBand", r."occupation" FROM "Response" r WHERE r."id" = "Answer"."responseId");

CREATE TRIGGER "Answer_filter_copies_insert" AFTER INSERT ON "Answer"
BEGIN
  UPDATE "Answer" SET ("sessionId", "gender", "ageBand", "occupation") =
    (SELECT r."sessionId", r."gender", r."ageBand", r."occupation" FROM "Response" r WHERE r."id" = NEW."responseId")
  WHERE "id" = NEW."id";
END;

CREATE TRIGGER "Response_filter_copies_update" AFTER UPDATE OF "sessionId", "gender", "ageBand", "occupation" ON "Response"
BEGIN
  UPDATE "Answer" SET "sessionId" = NEW."sessionId", "gender" = NEW."gender", "ageBand" = NEW."ageBand", "occupation" = NEW."occupation"
  WHERE "responseId" = NEW."id";
END;

-- CreateIndex
CREATE INDEX "Answer_evaluation_filters_idx" ON "Answer"("questionId", "value", "gender", "ageBand", "occupation", "sessionId", "responseId");
