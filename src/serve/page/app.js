// The page for clerks. It keeps the whole draft state (place, meeting, seed, options,
// what each part drew, locks, edits) and sends it with every request; the server keeps
// nothing. The state also lives in the address (#s=…), so a draft reopens exactly.
"use strict";

const $ = (id) => document.getElementById(id);

const TEXT = {
  zh: {
    lang: "English", heading: "讲话稿起草", where: "地方和会议", place: "乡镇（名称、全称或代码）",
    county: "所属县（同名乡镇时选填）", level: "级别（地名不在名录里时选）", auto: "自动", meeting: "会议",
    shape: "篇幅和署名", length: "篇幅", chars: "字", minutes: "分钟", date: "会议日期",
    speaker: "讲话人（职务和姓名，署在标题下）", script: "字体", simplified: "简体", traditional: "繁体",
    hk: "繁体（香港）", tw: "繁体（台湾）", seed: "稿号（同一稿号同一稿子）",
    facts: "本地实情（选填，一行一条；不填就不写）", achievements: "今年的成绩和数字",
    pilots: "试点村（社区）", tasks: "下一步任务", cases: "典型案例（警示教育用，照纪委通报写）",
    placeholders: "没填的事实在稿中标〔待补〕", generate: "生成讲话稿",
    again: "全文换一稿（保留锁定和修改）", docx: "下载 Word", md: "下载 Markdown", txt: "下载纯文本",
    save: "保存稿子状态", load: "打开状态文件",
    empty: "在左边填好地方和会议，点“生成讲话稿”。每一段都可以换一种说法、锁定或直接修改，最后下载 Word。",
    check: "查重", checkhelp: "13字连续重复的比例：和这类会议的范文比，和另一份稿子比（不贴就和下一个稿号的稿子比）。",
    otherph: "贴另一份稿子（选填）", run: "查重", redraw: "换一种说法", lockit: "锁定", unlock: "解锁",
    edit: "修改", ok: "保存修改", cancel: "取消", undo: "撤销修改", locked: "已锁定", edited: "已修改",
    stats: (c, m) => `${c}字，约${m}分钟`, nearest: "名录里没有这个地名。最接近的：",
    ambiguous: "同名的乡镇有好几个，请选一个：", custom: "仍按这个地名写（请在“级别”里选乡、镇或街道等）",
    rates: (r, o, s) => `和范文重复 ${pct(r)}；和${s === undefined ? "贴入的稿子" : "稿号 " + s + " 的稿子"}重复 ${pct(o)}`,
    badfile: "这个文件不是保存的稿子状态。",
  },
  en: {
    lang: "中文", heading: "Speech drafting", where: "Place and meeting", place: "Township (name, path or code)",
    county: "County (when several share the name)", level: "Level (for a name not in the gazetteer)", auto: "automatic",
    meeting: "Meeting", shape: "Length and byline", length: "Length", chars: "characters", minutes: "minutes",
    date: "Meeting date", speaker: "Speaker (title and name, under the title)", script: "Script", simplified: "Simplified", traditional: "Traditional",
    hk: "Traditional (Hong Kong)", tw: "Traditional (Taiwan)", seed: "Draft number (same number, same draft)",
    facts: "Local facts (optional, one per line; nothing is claimed without them)", achievements: "This year's results and figures",
    pilots: "Pilot villages", tasks: "Tasks ahead", cases: "Cases (for a warning-education meeting, as published)",
    placeholders: "Mark missing facts 〔待补〕 in the draft", generate: "Write the draft",
    again: "New draft (keeps locks and edits)", docx: "Word", md: "Markdown", txt: "Text",
    save: "Save state", load: "Open state file",
    empty: "Fill in the place and meeting on the left and press “Write the draft”. Every paragraph can be redrawn, locked or edited; then download the Word file.",
    check: "Duplicate check", checkhelp: "Share of 13-character runs repeated: against the meeting's reference speech, and against another draft (pasted, or the next draft number's).",
    otherph: "Paste another draft (optional)", run: "Check", redraw: "Reword", lockit: "Lock", unlock: "Unlock",
    edit: "Edit", ok: "Save edit", cancel: "Cancel", undo: "Undo edit", locked: "locked", edited: "edited",
    stats: (c, m) => `${c} characters, about ${m} minutes`, nearest: "No such name in the gazetteer. Nearest:",
    ambiguous: "Several townships share this name; choose one:", custom: "Write for this name anyway (choose its level)",
    rates: (r, o, s) => `vs reference ${pct(r)}; vs ${s === undefined ? "the pasted text" : "draft " + s} ${pct(o)}`,
    badfile: "This file is not a saved draft state.",
  },
};
let lang = localStorage.getItem("speechgen-lang") || "zh";
const t = (key, ...args) => {
  const v = TEXT[lang][key];
  return typeof v === "function" ? v(...args) : v;
};
const pct = (x) => (x * 100).toFixed(1) + "%";

/** The current draft: what the server last answered. */
let current = null;
let version = 0;

function translate() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  document.querySelectorAll("[data-t]").forEach((el) => { el.textContent = t(el.dataset.t); });
  document.querySelectorAll("[data-tp]").forEach((el) => { el.placeholder = t(el.dataset.tp); });
  if (current) render(current);
}

function busy(on) {
  document.body.dataset.state = on ? "busy" : "ready";
}

function lines(id) {
  return $(id).value.split("\n").map((s) => s.trim()).filter((s) => s);
}

function randomSeed() {
  const a = new Uint32Array(1);
  crypto.getRandomValues(a);
  return a[0] % 1000000000;
}

/** The state the form describes (a new draft: no choices, locks or edits). */
function formState() {
  const n = parseInt($("length").value, 10);
  const minutes = $("unit").value === "minutes";
  if (!$("seed").value) $("seed").value = randomSeed();
  return {
    place: $("place").value.trim(),
    county: $("county").value.trim() || null,
    level: $("level").value || null,
    pack: $("pack").value,
    seed: parseInt($("seed").value, 10) || 0,
    length: !minutes && n ? n : null,
    minutes: minutes && n ? n : null,
    date: $("date").value || null,
    speaker: $("speaker").value.trim() || null,
    script: $("script").value,
    facts: { achievements: lines("achievements"), pilots: lines("pilots"), tasks: lines("tasks"), cases: lines("cases") },
    placeholders: $("placeholders").checked,
  };
}

/** Puts a state back into the form (a reopened draft). */
function fillForm(s) {
  $("place").value = s.place || "";
  $("county").value = s.county || "";
  $("level").value = s.level || "";
  if (s.pack) $("pack").value = s.pack;
  $("seed").value = s.seed ?? "";
  $("unit").value = s.minutes ? "minutes" : "chars";
  $("length").value = s.minutes || s.length || "";
  $("date").value = s.date && /^\d{4}-\d{2}-\d{2}$/.test(s.date) ? s.date : "";
  $("speaker").value = s.speaker || "";
  $("script").value = s.script || "simplified";
  const f = s.facts || {};
  for (const k of ["achievements", "pilots", "tasks", "cases"]) $(k).value = (f[k] || []).join("\n");
  $("placeholders").checked = !!s.placeholders;
}

function encodeState(s) {
  const bytes = new TextEncoder().encode(JSON.stringify(s));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeState(text) {
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

async function api(path, body) {
  const res = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) {
    let problem;
    try { problem = await res.json(); } catch { problem = { error: `HTTP ${res.status}` }; }
    problem.status = res.status;
    throw problem;
  }
  return res;
}

function showProblem(problem) {
  const box = $("message");
  box.hidden = false;
  box.textContent = problem.error || String(problem);
  if (problem.candidates && problem.candidates.length) {
    const intro = document.createElement("div");
    intro.textContent = problem.status === 409 ? t("ambiguous") : t("nearest");
    box.appendChild(intro);
    const list = document.createElement("ul");
    for (const p of problem.candidates) {
      const li = document.createElement("li");
      li.textContent = `${p.name}　${p.path}`;
      li.onclick = () => { choosePlace(p); box.hidden = true; run("draft", formState()); };
      list.appendChild(li);
    }
    box.appendChild(list);
  }
}

/** Sends a request that answers with a draft, and shows it. */
async function run(kind, body) {
  busy(true);
  $("message").hidden = true;
  try {
    const path = { draft: "/api/draft", redraw: "/api/redraw", again: "/api/again" }[kind];
    const view = await (await api(path, body)).json();
    current = view;
    history.replaceState(null, "", "#s=" + encodeState(view.state));
    $("seed").value = view.state.seed;
    render(view);
  } catch (problem) {
    showProblem(problem);
  } finally {
    version += 1;
    document.body.dataset.version = String(version);
    busy(false);
  }
}

function button(label, cls, onclick) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = cls;
  b.textContent = label;
  b.onclick = onclick;
  return b;
}

function render(view) {
  const draft = $("draft");
  draft.replaceChildren();
  const state = view.state;
  for (const block of view.blocks) {
    const p = document.createElement(block.kind === "title" ? "h2" : "p");
    p.className = `block ${block.kind}` + (block.locked ? " locked" : "") + (block.edited ? " edited" : "");
    if (block.key) p.dataset.key = block.key;
    if (block.part) p.dataset.part = block.part;
    const body = document.createElement("span");
    body.className = "body";
    if (block.label) body.append(block.label);
    if (block.lead) {
      const lead = document.createElement("span");
      lead.className = "lead";
      lead.textContent = block.lead;
      body.append(lead);
    }
    body.append(block.text);
    p.append(body);
    if (block.locked || block.edited) {
      const badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = [block.locked ? t("locked") : "", block.edited ? t("edited") : ""].filter((x) => x).join(" · ");
      p.append(badge);
    }
    if (block.part && block.key) {
      const tools = document.createElement("span");
      tools.className = "tools";
      const locked = state.locks.includes(block.part);
      tools.append(
        button(t("redraw"), "redraw", () => run("redraw", { state: current.state, part: block.part })),
        button(locked ? t("unlock") : t("lockit"), "lock", () => toggleLock(block.part)),
        button(t("edit"), "edit", () => startEdit(p, block)),
      );
      if (block.edited) tools.append(button(t("undo"), "undo", () => undoEdit(block.key)));
      p.append(tools);
    }
    draft.append(p);
  }
  $("stats").textContent = t("stats", view.chars, view.minutes);
  const notes = $("notes");
  notes.replaceChildren(...view.notes.map((n) => { const li = document.createElement("li"); li.textContent = n; return li; }));
  notes.hidden = view.notes.length === 0;
  $("toolbar").hidden = false;
  $("check").hidden = false;
}

/** Redraws the page from the state as changed here (a lock, an edit): the server
 *  draws it again from its choices, so the page shows exactly what will download. */
function changeState(change) {
  const state = structuredClone(current.state);
  change(state);
  run("draft", state);
}

function toggleLock(part) {
  changeState((s) => {
    const i = s.locks.indexOf(part);
    if (i >= 0) s.locks.splice(i, 1); else s.locks.push(part);
  });
}

function undoEdit(key) {
  changeState((s) => { delete s.edits[key]; });
}

function startEdit(p, block) {
  if (p.classList.contains("editing")) return;
  p.classList.add("editing");
  const editor = document.createElement("textarea");
  editor.className = "editor";
  editor.value = (block.lead || "") + block.text;
  p.querySelector(".body").replaceWith(editor);
  const tools = p.querySelector(".tools");
  tools.replaceChildren(
    button(t("ok"), "save-edit", () => changeState((s) => { s.edits[block.key] = editor.value.trim(); })),
    button(t("cancel"), "cancel-edit", () => render(current)),
  );
  editor.focus();
}

async function download(format) {
  busy(true);
  try {
    const res = await api("/api/download", { state: current.state, format });
    const blob = await res.blob();
    const disposition = res.headers.get("Content-Disposition") || "";
    const m = disposition.match(/filename\*=UTF-8''([^;]+)/);
    const name = m ? decodeURIComponent(m[1]) : `speech.${format}`;
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.append(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 10000);
  } catch (problem) {
    showProblem(problem);
  } finally {
    busy(false);
  }
}

function saveState() {
  const blob = new Blob([JSON.stringify(current.state, null, 2)], { type: "application/json" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = `${current.place.name}${current.meeting}讲话稿.speechgen.json`;
  a.click();
}

async function loadState(file) {
  try {
    const state = JSON.parse(await file.text());
    if (typeof state !== "object" || !("place" in state)) throw new Error();
    fillForm(state);
    run("draft", state);
  } catch {
    showProblem({ error: t("badfile") });
  }
}

async function similarity() {
  busy(true);
  try {
    const other = $("other").value.trim();
    const r = await (await api("/api/similarity", { state: current.state, other: other || null })).json();
    $("rates").textContent = t("rates", r.reference, r.other, r.other_seed);
  } catch (problem) {
    showProblem(problem);
  } finally {
    busy(false);
  }
}

// Place autocomplete: what the clerk types, completed from the gazetteer.
let placeTimer = null;
let placeAsked = 0;

function choosePlace(p) {
  $("place").value = p.name;
  $("county").value = p.county || "";
  $("places").hidden = true;
  $("place-note").hidden = true;
}

async function completePlace() {
  const q = $("place").value.trim();
  const asked = ++placeAsked;
  const list = $("places");
  if (!q) { list.hidden = true; return; }
  const params = new URLSearchParams({ q });
  if ($("county").value.trim()) params.set("county", $("county").value.trim());
  const res = await fetch("/api/places?" + params);
  if (asked !== placeAsked || !res.ok) return;
  const found = await res.json();
  list.replaceChildren();
  const note = $("place-note");
  note.hidden = true;
  if (found.status === "nearest") {
    note.textContent = t("nearest");
    note.hidden = false;
  } else if (found.status === "ambiguous") {
    note.textContent = t("ambiguous");
    note.hidden = false;
  }
  for (const p of found.places) {
    const li = document.createElement("li");
    li.setAttribute("role", "option");
    li.dataset.code = p.code || "";
    li.innerHTML = "";
    li.append(p.name);
    const small = document.createElement("small");
    small.textContent = `${p.path}　${p.code || ""}`;
    li.append(small);
    li.onmousedown = (e) => { e.preventDefault(); choosePlace(p); };
    list.append(li);
  }
  if (found.status === "nearest") {
    const li = document.createElement("li");
    li.className = "custom";
    li.textContent = t("custom");
    li.onmousedown = (e) => { e.preventDefault(); list.hidden = true; $("level").focus(); };
    list.append(li);
  }
  list.hidden = list.children.length === 0;
}

async function start() {
  translate();
  const packs = await (await fetch("/api/packs")).json();
  $("pack").replaceChildren(...packs.map((p) => {
    const o = document.createElement("option");
    o.value = p.id;
    o.textContent = p.meeting;
    return o;
  }));
  $("lang").onclick = () => {
    lang = lang === "zh" ? "en" : "zh";
    localStorage.setItem("speechgen-lang", lang);
    translate();
  };
  $("place").addEventListener("input", () => {
    clearTimeout(placeTimer);
    placeTimer = setTimeout(completePlace, 150);
  });
  $("place").addEventListener("blur", () => setTimeout(() => { $("places").hidden = true; }, 100));
  $("form").onsubmit = (e) => { e.preventDefault(); $("seed").value = ""; run("draft", formState()); };
  $("again").onclick = () => run("again", { state: current.state, seed: randomSeed() });
  $("download-docx").onclick = () => download("docx");
  $("download-md").onclick = () => download("md");
  $("download-txt").onclick = () => download("txt");
  $("save").onclick = saveState;
  $("load").onchange = (e) => { if (e.target.files[0]) loadState(e.target.files[0]); };
  $("similarity").onclick = similarity;
  const hash = location.hash.match(/^#s=(.+)$/);
  if (hash) {
    try {
      const state = decodeState(hash[1]);
      fillForm(state);
      await run("draft", state);
      return;
    } catch {
      showProblem({ error: t("badfile") });
    }
  }
  busy(false);
}

start();
