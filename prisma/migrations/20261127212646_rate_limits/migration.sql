-- CreateTable
CREATE TABLE "RateLimitHit" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "hits" INTEGER NOT NULL,
    "windowEnds" INTEGER NOT NULL
);

-- CreateIndex
CREATE INDEX "RateLimitHit_windowEnds_idx" ON "RateLimitHit"("windowEnds");
