import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../src/services/accounts.ts";
import { cookiesFrom, csrfTokenFrom, seededApp, type TestApp } from "../support/test-app.ts";

let t: TestApp;
const password = "a very long passphrase";
beforeAll(async () => {
  t = await seededApp();
  await createUser(t.database.db, { email: "analyst@example.org", password, role: "national_analyst" });
  await createUser(t.database.db, { email: "off@example.org", password, role: "viewer" });
  const { setUserDisabled } = await import("../../src/db/queries/users.ts");
  await setUserDisabled(t.database.db, "off@example.org", true);
});
afterAll(async () => {
  await t.close();
});

async function signInForm(lang = "en") {
  const page = await t.app.inject(`/${lang}/sign-in`);
  return { token: csrfTokenFrom(page.body), cookie: cookiesFrom(page) };
}

function post(url: string, cookie: string, body: Record<string, string>) {
  return t.app.inject({
    method: "POST",
    url,
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams(body).toString(),
  });
}

describe("sign in", () => {
  it("signs in with a CSRF token and shows who is signed in", async () => {
    const { token, cookie } = await signInForm();
    const res = await post("/en/sign-in", cookie, { _csrf: token, email: "analyst@example.org", password });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe("/en/my-work");
    const home = await t.app.inject({ url: "/en/", headers: { cookie: cookiesFrom(res) || cookie } });
    expect(home.body).toContain("Signed in as analyst@example.org");
    expect(home.body).toContain("National analyst");
    expect(home.body).toContain('href="/en/data/import"');
  });

  it("rejects a form without a CSRF token", async () => {
    const { cookie } = await signInForm();
    const res = await post("/en/sign-in", cookie, { email: "analyst@example.org", password });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain("You cannot do that");
  });

  it("rejects a wrong password with a clear message in the page language", async () => {
    const { token, cookie } = await signInForm("cy");
    const res = await post("/cy/sign-in", cookie, { _csrf: token, email: "analyst@example.org", password: "nope" });
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain("Mae problem wedi codi");
    expect(res.body).toContain("Nodwch gyfeiriad e-bost a chyfrinair cywir");
  });

  it("refuses a disabled user", async () => {
    const { token, cookie } = await signInForm();
    const res = await post("/en/sign-in", cookie, { _csrf: token, email: "off@example.org", password });
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain("This account has been disabled");
  });

  it("asks for missing fields", async () => {
    const { token, cookie } = await signInForm();
    const res = await post("/en/sign-in", cookie, { _csrf: token, email: "", password: "" });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain("Enter your email address");
    expect(res.body).toContain("Enter your password");
  });

  it("signs out", async () => {
    const { token, cookie } = await signInForm();
    const signedIn = await post("/en/sign-in", cookie, { _csrf: token, email: "analyst@example.org", password });
    const session = cookiesFrom(signedIn) || cookie;
    const home = await t.app.inject({ url: "/en/", headers: { cookie: session } });
    const out = await post("/en/sign-out", session, { _csrf: csrfTokenFrom(home.body) });
    expect(out.statusCode).toBe(303);
    const after = await t.app.inject({ url: "/en/", headers: { cookie: session } });
    expect(after.body).not.toContain("Signed in as");
    expect(after.body).not.toContain('href="/en/data/import"');
  });
});
