-- Sessions know whose they are (userId: revoked by user, the user read with the session), keep
-- one-time messages in their own column (appended, never overwritten by a concurrent request),
-- and carry what the list of signed-in devices shows.
-- AlterTable
ALTER TABLE "User" ADD COLUMN     "mustChangePassword" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "flash" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "userAgent" TEXT,
ADD COLUMN     "userId" INTEGER;

-- Signed-in sessions stay signed in: the user id moves out of the JSON, which keeps its other
-- fields (the user, the daily renewal mark and messages are not fields any more).
UPDATE "Session" s SET "userId" = u."id" FROM "User" u WHERE u."id" = (s."data"::jsonb -> 'user' ->> 'id')::int;
UPDATE "Session" SET "data" = ("data"::jsonb - 'user' - 'renewedOn' - 'flash')::text;

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
