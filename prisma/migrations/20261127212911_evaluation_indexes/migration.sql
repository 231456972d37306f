-- DropIndex
DROP INDEX "Answer_questionId_value_idx";

-- DropIndex
DROP INDEX "Response_workshopId_formId_idx";

-- CreateIndex
CREATE INDEX "Answer_questionId_value_responseId_idx" ON "Answer"("questionId", "value", "responseId");

-- CreateIndex
CREATE INDEX "Response_evaluation_filters_idx" ON "Response"("workshopId", "formId", "sessionId", "gender", "ageBand", "occupation");
