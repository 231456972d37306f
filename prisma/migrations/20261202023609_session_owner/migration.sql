-- Sessions know whose they are (userId: revoked by user, the user read with the session), keep
-- one-time messages in their own column (appended, never overwritten by a concurrent request),
-- and carry what the list of signed-in devices shows.
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Session" (
    "sid" TEXT NOT NULL PRIMARY KEY,
    "userId" INTEGER,
    "data" TEXT NOT NULL,
    "flash" TEXT NOT NULL DEFAULT '',
    "userAgent" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- Signed-in sessions stay signed in: the user id moves out of the JSON, which keeps its other
-- fields (the user, the daily renewal mark and messages are not fields any more). Their absolute
-- lifetime starts now. Dates are written as Prisma writes them.
INSERT INTO "new_Session" ("sid", "userId", "data", "createdAt", "lastSeenAt", "expiresAt")
SELECT "sid",
       (SELECT "id" FROM "User" WHERE "id" = json_extract(s."data", '$.user.id')),
       json_remove(s."data", '$.user', '$.renewedOn', '$.flash'),
       strftime('%Y-%m-%dT%H:%M:%S.000+00:00', 'now'),
       strftime('%Y-%m-%dT%H:%M:%S.000+00:00', 'now'),
       "expiresAt"
FROM "Session" s
WHERE json_valid(s."data");
DROP TABLE "Session";
ALTER TABLE "new_Session" RENAME TO "Session";
CREATE INDEX "Session_expiresAt_idx" ON "Session"("expiresAt");
CREATE INDEX "Session_userId_idx" ON "Session"("userId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- AlterTable (a column with a default: no need to rebuild the table)
ALTER TABLE "User" ADD COLUMN "mustChangePassword" BOOLEAN NOT NULL DEFAULT false;
