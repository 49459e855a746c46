import { eq } from "drizzle-orm";
import type { Role } from "../../domain/enums.ts";
import type { Db } from "../database.ts";
import { userAreas, users } from "../schema.ts";

export interface UserRecord {
  id: number;
  email: string;
  displayName: string | null;
  passwordHash: string;
  role: Role;
  language: string;
  disabledAt: Date | null;
  areaCodes: string[];
}

async function withAreas(db: Db, row: typeof users.$inferSelect | undefined): Promise<UserRecord | null> {
  if (!row) return null;
  const areas = await db.select().from(userAreas).where(eq(userAreas.userId, row.id));
  return { ...row, role: row.role as Role, areaCodes: areas.map((a) => a.areaCode).sort() };
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRecord | null> {
  const [row] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  return withAreas(db, row);
}

export async function findUserById(db: Db, id: number): Promise<UserRecord | null> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return withAreas(db, row);
}

export async function listUsers(db: Db): Promise<UserRecord[]> {
  const rows = await db.select().from(users).orderBy(users.email);
  const areas = await db.select().from(userAreas);
  return rows.map((r) => ({
    ...r,
    role: r.role as Role,
    areaCodes: areas
      .filter((a) => a.userId === r.id)
      .map((a) => a.areaCode)
      .sort(),
  }));
}

export async function insertUser(
  db: Db,
  input: { email: string; passwordHash: string; role: Role; displayName?: string | undefined; areaCodes: string[] },
): Promise<number> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(users)
      .values({
        email: input.email.trim().toLowerCase(),
        passwordHash: input.passwordHash,
        role: input.role,
        displayName: input.displayName ?? null,
      })
      .returning({ id: users.id });
    const id = row!.id;
    if (input.areaCodes.length > 0) {
      await tx.insert(userAreas).values(input.areaCodes.map((areaCode) => ({ userId: id, areaCode })));
    }
    return id;
  });
}

export async function setUserDisabled(db: Db, email: string, disabled: boolean): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ disabledAt: disabled ? new Date() : null })
    .where(eq(users.email, email.trim().toLowerCase()))
    .returning({ id: users.id });
  return rows.length > 0;
}
