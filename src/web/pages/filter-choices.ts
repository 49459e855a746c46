/** Options of the core-aim and tier filters that the area profile and the overview share. */
import type { Language } from "../../domain/enums.ts";
import type { FrameworkView } from "../../services/framework-service.ts";
import { pick, type Translate } from "../i18n.ts";

export interface Choice {
  value: string;
  text: string;
  selected: boolean;
}

export function coreAimChoices(view: FrameworkView, lang: Language, t: Translate, selected?: string): Choice[] {
  return view.aims.map((a) => ({
    value: a.code,
    text: `${t("framework.coreAim", { number: a.number })}: ${pick(a.title, lang).text}`,
    selected: selected === a.code,
  }));
}

export function tierChoices(t: Translate, selected: string): Choice[] {
  return [
    { value: "high_level", text: t("areas.profile.tierHigh"), selected: selected === "high_level" },
    { value: "additional", text: t("areas.profile.tierAdditional"), selected: selected === "additional" },
    { value: "all", text: t("areas.profile.tierAll"), selected: selected === "all" },
  ];
}
