-- The market's demo buyers were created without their demo kind, so head counts took them for
-- participants and they never answered a seller's message. Their usernames are demo-accounts.ts's.
UPDATE "User" SET "demoKind" = 'buyer'
WHERE "demoKind" IS NULL AND "username" IN ('pembeli.ayu', 'pembeli.made', 'pembeli.rina', 'pembeli.yoga');
