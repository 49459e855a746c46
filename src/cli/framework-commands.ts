import type { Command } from "commander";
import type { FrameworkActor } from "../services/framework-versions.ts";
import type { Services } from "../services/index.ts";
import { CliError, withServices } from "./context.ts";
import { cliIo, cliPath } from "./io.ts";

interface Problem {
  file: string;
  key: string;
  message: string;
  severity: "error" | "warning";
}

async function loadFrameworkContent(
  ...args: Parameters<typeof import("../ingest/framework/read-framework-content.ts")["loadFrameworkContent"]>
) {
  const { loadFrameworkContent: load } = await import("../ingest/framework/read-framework-content.ts");
  return load(...args);
}

function report(problems: Problem[]): number {
  for (const p of problems) cliIo().stderr.write(`${p.severity}: ${p.file}: ${p.key}: ${p.message}\n`);
  return problems.filter((p) => p.severity === "error").length;
}

export function registerFrameworkCommands(program: Command): void {
  const framework = program.command("framework").description("validate and import framework content files");

  framework
    .command("validate")
    .argument("<path>", "a YAML/JSON framework file, or a folder of them")
    .description("check a framework content file; exit 1 naming each problem")
    .option("--standalone", "do not resolve references against the database (check the file on its own)")
    .action(async (path: string, opts: { standalone?: boolean }) => {
      const run = async (known?: Awaited<ReturnType<Services["content"]["knownCodes"]>>) => {
        const { content, problems } = await loadFrameworkContent(cliPath(path), known);
        const errors = report(problems);
        if (errors > 0) throw new CliError(`${path}: ${errors} error${errors === 1 ? "" : "s"}; nothing imported`);
        cliIo().stdout.write(`${path}: valid (${content.measures?.length ?? 0} measures)\n`);
      };
      if (opts.standalone) await run();
      else await withServices(async ({ content }) => run(await content.knownCodes()));
    });

  framework
    .command("import")
    .argument("<path>", "a YAML/JSON framework file, or a folder of them")
    .description("add or update measures and groups from a content file (all or nothing)")
    .action(async (path: string) => {
      await withServices(async (services) => {
        const { content, problems } = await loadFrameworkContent(cliPath(path), await services.content.knownCodes());
        const errors = report(problems);
        if (errors > 0) throw new CliError(`${path}: ${errors} error${errors === 1 ? "" : "s"}; nothing imported`);
        const r = await services.frameworkVersions.importFile(content, { name: "cli" });
        cliIo().stdout.write(
          `imported ${path}: ${r.measuresAdded} measures added, ${r.measuresUpdated} updated, ${r.measuresUnchanged} unchanged, ${r.groupsAdded} groups added\n`,
        );
        const f = content.framework;
        if (r.versionCreated && f) {
          const v = await services.frameworkVersions.get(CLI_ACTOR.user, f.version);
          cliIo().stdout.write(
            v.state === "draft"
              ? `framework version ${f.version} started as a draft (not live): see what changed with omf framework diff ${f.version}, then omf framework submit, approve and publish ${f.version}\n`
              : `framework version ${f.version} is ${v.state}\n`,
          );
        }
      });
    });

  framework
    .command("versions")
    .description("list the framework's versions: version, state, published date; * marks the current one")
    .option("--json", "machine-readable output")
    .action(async (opts: { json?: boolean }) => {
      await withServices(async ({ frameworkVersions }) => {
        const list = await frameworkVersions.list(CLI_ACTOR.user);
        if (opts.json) {
          const out = list.map((v) => ({
            code: v.code,
            version: v.version,
            state: v.state,
            publishedDate: v.publishedDate,
            current: v.current,
          }));
          cliIo().stdout.write(`${JSON.stringify(out, null, 2)}\n`);
          return;
        }
        for (const v of list)
          cliIo().stdout.write(
            `${v.current ? "*" : " "} ${v.code} ${v.version}\t${v.state}\t${v.publishedDate ?? "-"}\n`,
          );
      });
    });

  framework
    .command("diff")
    .argument("<version>", "the framework version, e.g. 2")
    .description("what changed in a framework version: measures added, retired, redefined, breaks in series, groups")
    .option("--from <version>", "the version to compare with (default: the one before)")
    .option("--lang <lang>", "en | cy", "en")
    .option("--json", "machine-readable output (as the API gives it)")
    .action(async (version: string, opts: { from?: string; lang: string; json?: boolean }) => {
      if (opts.lang !== "en" && opts.lang !== "cy") throw new CliError("--lang must be en or cy", 2);
      const lang = opts.lang;
      await withServices(async ({ frameworkVersions }) => {
        const diff = await frameworkVersions.diff(CLI_ACTOR.user, version, opts.from);
        if (!diff) throw new CliError(`version ${version} is the first version: give --from to compare it`);
        if (opts.json) {
          const { serialiseDiff } = await import("../api/framework-versions.ts");
          const v = await frameworkVersions.get(CLI_ACTOR.user, version);
          cliIo().stdout.write(`${JSON.stringify(serialiseDiff(v.code, diff), null, 2)}\n`);
          return;
        }
        const [{ translator }, { diffText, diffView }] = await Promise.all([
          import("../web/i18n.ts"),
          import("../web/pages/framework-diff-view.ts"),
        ]);
        const t = translator(lang);
        cliIo().stdout.write(`${diffText(diffView(diff, t, lang), t).join("\n")}\n`);
      });
    });

  for (const action of ["submit", "return", "approve", "publish"] as const) {
    framework
      .command(action)
      .argument("<version>", "the framework version, e.g. 2")
      .description(
        {
          submit: "submit a draft framework version for approval",
          return: "return a submitted framework version for changes",
          approve: "approve a submitted framework version",
          publish: "publish an approved framework version: it becomes current and supersedes the one before",
        }[action],
      )
      .option("--reason <text>", "a note for the audit log")
      .action(async (version: string, opts: { reason?: string }) => {
        await withServices(async ({ frameworkVersions }) => {
          const r = await frameworkVersions.act(CLI_ACTOR, version, action, opts.reason);
          cliIo().stdout.write(`framework version ${version}: ${r.from} → ${r.to}\n`);
        });
      });
  }
}

/** The CLI acts as a national administrator (like `omf plan list`). */
const CLI_ACTOR: FrameworkActor = { user: { id: null, role: "national_admin", areaCodes: [] }, name: "cli" };
