-- The app now writes each answer's copies of its response's session and identity answers in the
-- same INSERT (responses.service.ts). The row trigger that looked them up for every inserted
-- answer becomes a statement trigger: one UPDATE per INSERT statement, joining the inserted rows
-- with their responses, that changes only a row written without the copies or with wrong ones.
DROP TRIGGER "Answer_filter_copies_insert" ON "Answer";
DROP FUNCTION "answer_filter_copies_insert"();

CREATE FUNCTION "answer_filter_copies_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Answer" a SET "sessionId" = r."sessionId", "gender" = r."gender", "ageBand" = r."ageBand", "occupation" = r."occupation"
  FROM "inserted" i JOIN "Response" r ON r."id" = i."responseId"
  WHERE a."id" = i."id"
    AND (i."sessionId", i."gender", i."ageBand", i."occupation") IS DISTINCT FROM (r."sessionId", r."gender", r."ageBand", r."occupation");
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Answer_filter_copies_insert" AFTER INSERT ON "Answer"
  REFERENCING NEW TABLE AS "inserted"
  FOR EACH STATEMENT EXECUTE FUNCTION "answer_filter_copies_insert"();
