import type { Command } from "commander";
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
        const r = await services.content.importFramework(content, { name: "cli" });
        cliIo().stdout.write(
          `imported ${path}: ${r.measuresAdded} measures added, ${r.measuresUpdated} updated, ${r.measuresUnchanged} unchanged, ${r.groupsAdded} groups added\n`,
        );
      });
    });
}
