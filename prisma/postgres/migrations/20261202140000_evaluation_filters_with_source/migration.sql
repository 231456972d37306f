-- DropIndex
DROP INDEX "Response_evaluation_filters_idx";

-- CreateIndex
CREATE INDEX "Response_evaluation_filters_idx" ON "Response"("workshopId", "formId", "sessionId", "gender", "source", "ageBand", "occupation");
