import { eq, type SQL } from "drizzle-orm";
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

/** A user with the areas they may edit, read in one query (a left join: one row per area, or one without). */
async function userWhere(db: Db, where: SQL): Promise<UserRecord | null> {
  const rows = await db
    .select({ user: users, areaCode: userAreas.areaCode })
    .from(users)
    .leftJoin(userAreas, eq(userAreas.userId, users.id))
    .where(where);
  const row = rows[0]?.user;
  if (!row) return null;
  const areaCodes = rows.flatMap((r) => (r.areaCode === null ? [] : [r.areaCode])).sort();
  return { ...row, role: row.role as Role, areaCodes };
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRecord | null> {
  return userWhere(db, eq(users.email, email.trim().toLowerCase()));
}

/** The user of a session: asked on every signed-in request, so one round trip. */
export async function findUserById(db: Db, id: number): Promise<UserRecord | null> {
  return userWhere(db, eq(users.id, id));
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
