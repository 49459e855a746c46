import { chromium } from "playwright-core";
const [url, expr] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
const p = await (await b.newContext()).newPage();
await p.goto(url!);
console.log(await p.evaluate(expr!));
await b.close();
