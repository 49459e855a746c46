import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../database.ts";
import { apiTokens, users } from "../schema.ts";

export async function insertApiToken(
  db: Db,
  input: { name: string; tokenHash: string; userId: number },
): Promise<number> {
  const [row] = await db.insert(apiTokens).values(input).returning({ id: apiTokens.id });
  return row!.id;
}

/** The user id of a live (not revoked) token with this hash, or null. */
export async function findTokenUser(db: Db, tokenHash: string): Promise<{ tokenId: number; userId: number } | null> {
  const [row] = await db
    .select({ tokenId: apiTokens.id, userId: apiTokens.userId })
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)));
  return row ?? null;
}

export async function revokeApiToken(db: Db, id: number): Promise<boolean> {
  const rows = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return rows.length > 0;
}

export interface ApiTokenRow {
  id: number;
  name: string;
  userId: number;
  email: string;
  createdAt: Date;
  revokedAt: Date | null;
}

/** Every token (never its hash), with its user's email, oldest first. */
export async function listApiTokens(db: Db): Promise<ApiTokenRow[]> {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      userId: apiTokens.userId,
      email: users.email,
      createdAt: apiTokens.createdAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .orderBy(apiTokens.id);
}
