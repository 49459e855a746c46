import type { Command } from "commander";
import { ROLES } from "../domain/enums.ts";
import { CliError, readStdin, withServices } from "./context.ts";
import { cliIo } from "./io.ts";

export function registerUserCommands(program: Command): void {
  const user = program.command("user").description("manage user accounts");

  user
    .command("add")
    .description("create a user; the password is read from standard input")
    .requiredOption("--email <email>", "sign-in email address")
    .requiredOption("--role <role>", `one of ${ROLES.join(", ")}`)
    .option("--area <code...>", "partnership area(s) a partnership editor may edit (GSS codes)")
    .option("--name <name>", "display name")
    .option("--password-stdin", "read the password from standard input (required)")
    .action(async (opts: { email: string; role: string; area?: string[]; name?: string; passwordStdin?: boolean }) => {
      if (!opts.passwordStdin) throw new CliError("give the password on standard input with --password-stdin", 2);
      const password = (await readStdin()).replace(/\r?\n$/, "");
      await withServices(async ({ accounts }) => {
        const id = await accounts.create({
          email: opts.email,
          password,
          role: opts.role,
          areaCodes: opts.area ?? [],
          ...(opts.name ? { displayName: opts.name } : {}),
        });
        cliIo().stdout.write(`created user ${id} ${opts.email.toLowerCase()} (${opts.role})\n`);
      });
    });

  user
    .command("list")
    .description("list users")
    .option("--json", "machine-readable output")
    .action(async (opts: { json?: boolean }) => {
      await withServices(async ({ accounts }) => {
        const users = await accounts.list();
        if (opts.json) {
          const out = users.map(({ passwordHash: _hidden, ...u }) => u);
          cliIo().stdout.write(`${JSON.stringify(out, null, 2)}\n`);
          return;
        }
        for (const u of users) {
          const state = u.disabledAt ? "disabled" : "active";
          const areas = u.areaCodes.length ? ` areas=${u.areaCodes.join(",")}` : "";
          cliIo().stdout.write(`${u.email}\t${u.role}\t${state}${areas}\n`);
        }
      });
    });

  for (const [name, disabled] of [
    ["disable", true],
    ["enable", false],
  ] as const) {
    user
      .command(name)
      .description(`${name} a user's sign-in`)
      .requiredOption("--email <email>", "the user's email address")
      .action(async (opts: { email: string }) => {
        await withServices(async ({ accounts }) => {
          if (!(await accounts.setDisabled(opts.email, disabled)))
            throw new CliError(`no user with email ${opts.email}`);
          cliIo().stdout.write(`${name}d ${opts.email.toLowerCase()}\n`);
        });
      });
  }
}
