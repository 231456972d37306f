-- DropIndex
DROP INDEX "Answer_questionId_value_responseId_idx";

-- AlterTable
ALTER TABLE "Answer" ADD COLUMN     "ageBand" TEXT,
ADD COLUMN     "gender" TEXT,
ADD COLUMN     "occupation" TEXT,
ADD COLUMN     "sessionId" INTEGER;

-- Each answer carries its response's session and identity answers, so that the evaluation counts
-- a filtered group from one covering index (Answer_evaluation_filters_idx) instead of looking up
-- the response of every answer. The copies are kept here, by the database, whoever writes answers.
UPDATE "Answer" a SET "sessionId" = r."sessionId", "gender" = r."gender", "ageBand" = r."ageBand", "occupation" = r."occupation"
FROM "Response" r WHERE r."id" = a."responseId";

CREATE FUNCTION "answer_filter_copies_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT r."sessionId", r."gender", r."ageBand", r."occupation"
    INTO NEW."sessionId", NEW."gender", NEW."ageBand", NEW."occupation"
    FROM "Response" r WHERE r."id" = NEW."responseId";
  RETURN NEW;
END;
$$;

CREATE TRIGGER "Answer_filter_copies_insert" BEFORE INSERT ON "Answer"
  FOR EACH ROW EXECUTE FUNCTION "answer_filter_copies_insert"();

CREATE FUNCTION "response_filter_copies_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Answer" SET "sessionId" = NEW."sessionId", "gender" = NEW."gender", "ageBand" = NEW."ageBand", "occupation" = NEW."occupation"
  WHERE "responseId" = NEW."id";
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Response_filter_copies_update" AFTER UPDATE OF "sessionId", "gender", "ageBand", "occupation" ON "Response"
  FOR EACH ROW EXECUTE FUNCTION "response_filter_copies_update"();

-- CreateIndex
CREATE INDEX "Answer_evaluation_filters_idx" ON "Answer"("questionId", "value", "gender", "ageBand", "occupation", "sessionId", "responseId");
