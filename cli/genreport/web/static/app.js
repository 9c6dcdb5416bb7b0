// genreport serve: a little plain JavaScript. The page keeps the chosen workbook and sends it again for
// each step (check, annotated copy, document), so the server keeps nothing between requests.
"use strict";

const state = { file: null, errors: 0, batchFiles: [], mergeFiles: [], checked: null };
const OFFLINE = "无法连接 genreport：请确认它仍在运行（启动它的窗口没有关闭），再试一次。";
const CHANGED = "工作簿在检查后被修改过，浏览器不能再读取它：请在“② 检查”中重新选择这份工作簿，检查后再生成。";

function $(selector, root) { return (root || document).querySelector(selector); }

function say(panel, text, kind) {
  const line = $(".status", panel.closest(".card") || panel.closest(".panel") || panel);
  line.textContent = text || "";
  line.className = "status" + (kind ? " " + kind : "");
}

// fetch, with every network failure (server stopped, connection dropped) as one Chinese sentence
async function reach(url, options) {
  try {
    return await fetch(url, Object.assign({ credentials: "same-origin" }, options || {}));
  } catch (error) {
    throw new Error(OFFLINE);
  }
}

async function send(url, data, ticket) {
  const headers = { "X-Genreport": "1" };
  if (ticket) headers["X-Genreport-Ticket"] = ticket;
  const response = await reach(url, { method: "POST", body: data, headers: headers });
  if (!response.ok) {
    let message = "请求失败（" + response.status + "），请重试。";
    try { message = (await response.json()).error || message; } catch (e) { /* not JSON */ }
    throw new Error(message);
  }
  return response;
}

function fileName(response, fallback) {
  const header = response.headers.get("Content-Disposition") || "";
  const match = /filename\*=UTF-8''([^;]+)/i.exec(header);
  return match ? decodeURIComponent(match[1]) : fallback;
}

async function download(url, data, fallback, ticket) {
  const response = await send(url, data, ticket);
  const name = fileName(response, fallback);
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = name;
  document.body.appendChild(link);
  link.click();
  setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 60000);
  return name;
}

// Run work(ticket) showing how long it has taken and, while it waits for a free worker, its place in the queue.
async function busy(element, panel, work) {
  if (element) element.disabled = true;
  const ticket = Math.random().toString(36).slice(2) + Date.now().toString(36);
  const started = Date.now();
  let place = 0;
  const show = () => {
    const seconds = Math.round((Date.now() - started) / 1000);
    say(panel, place > 0 ? "排队等候：前面还有 " + (place - 1) + " 个任务，已等待 " + seconds + " 秒……"
                         : "正在处理，请稍候……（已用时 " + seconds + " 秒）", "busy");
  };
  show();
  const timer = setInterval(async () => {
    try {
      const answer = await fetch("/api/queue?ticket=" + ticket, { credentials: "same-origin" });
      if (answer.ok) place = (await answer.json()).place || 0;
    } catch (error) { /* the request itself reports a lost connection */ }
    show();
  }, 1000);
  try {
    const done = await work(ticket);
    say(panel, done || "", "ok");
  } catch (error) {
    say(panel, error.message || OFFLINE, "bad");
  } finally {
    clearInterval(timer);
    if (element) element.disabled = false;
  }
}

function withFile(file, extra) {
  const data = new FormData();
  data.append("file", file, file.name);
  Object.entries(extra || {}).forEach(([key, value]) => data.append(key, value));
  return data;
}

// ---- tabs --------------------------------------------------------------------------------------------
function showTab(name) {
  document.querySelectorAll(".tabs button").forEach((b) => b.classList.toggle("active", b.dataset.tab === name));
  document.querySelectorAll(".panel").forEach((p) => { p.hidden = p.id !== name; });
}
document.querySelectorAll(".tabs button").forEach((b) => b.addEventListener("click", () => showTab(b.dataset.tab)));

// ---- drop zones ----------------------------------------------------------------------------------------
const actions = {
  "next-year": (files, zone) => busy(null, zone, async (ticket) =>
    "已下载：" + await download("/api/next-year", withFile(files[0]), "下一年度工作簿.xlsx", ticket)),
  "check": (files, zone) => checkWorkbook(files[0], zone),
  "batch": (files) => chooseBatch(files),
  "merge": (files) => chooseMerge(files),
};

document.querySelectorAll(".drop").forEach((zone) => {
  const input = $("input[type=file]", zone);
  const run = (files) => { if (files && files.length) actions[zone.dataset.action](Array.from(files), zone); };
  input.addEventListener("change", () => { run(input.files); input.value = ""; });
  zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    run(event.dataTransfer.files);
  });
});

// ---- 开始 ------------------------------------------------------------------------------------------------
$("#blank-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  busy($("button", form), form, async (ticket) =>
    "已下载：" + await download("/api/blank", new FormData(form), "空白工作簿.xlsx", ticket));
});

$("#absorb-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  busy($("button", form), form, async (ticket) =>
    "已下载：" + await download("/api/absorb", new FormData(form), "吸收结果.zip", ticket));
});

// ---- 检查 ------------------------------------------------------------------------------------------------
function checkWorkbook(file, zone) {
  state.file = file;
  state.checked = null;
  const result = $("#check-result");
  result.innerHTML = "";
  return busy(null, zone, async (ticket) => {
    await checkNow(file, ticket);
    return "";
  }).then(() => { if (!$(".report", result)) { state.file = null; showFile(); } });
}

// Check file, show the report and remember what was checked (its bytes' fingerprint) for 生成.
async function checkNow(file, ticket) {
  const fingerprint = await fingerprintOf(file);
  const response = await send("/api/check", withFile(file), ticket);
  const result = $("#check-result");
  result.innerHTML = await response.text();
  const report = $(".report", result);
  state.errors = Number(report.dataset.errors || 0);
  state.checked = fingerprint;
  if (report.dataset.publication) state.file = null;  // a publication is audited, not generated from
  showFile();
}

// Return a fingerprint of the file's bytes (size and FNV-1a hash); null when the browser can no longer read it
// (Chrome refuses to read a file changed on disk after it was chosen).
async function fingerprintOf(file) {
  let bytes;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (error) {
    return null;
  }
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) { hash = Math.imul(hash ^ bytes[i], 16777619) >>> 0; }
  return bytes.length + ":" + hash;
}

$("#check-result").addEventListener("click", (event) => {
  const button = event.target.closest("button[data-do]");
  if (!button || !state.file) return;
  if (button.dataset.do === "to-generate") { showTab("generate"); return; }
  busy(button, $("#check"), async (ticket) =>
    "已下载：" + await download("/api/annotate", withFile(state.file), "标注.xlsx", ticket));
});

// ---- 生成 ------------------------------------------------------------------------------------------------
function showFile() {
  const ready = state.file !== null;
  $("#gen-file").textContent = ready
    ? "当前工作簿：" + state.file.name + (state.errors ? "（有 " + state.errors + " 处错误，详见“② 检查”）" : "（检查通过）")
    : "还没有选择工作簿：请先在“② 检查”中选择并检查工作簿。";
  $("#gen-errors").hidden = !ready || state.errors === 0;
  $("#force").checked = false;
  say($("#generate"), "");  // a line about another workbook does not stay
  updateButtons();
}

function updateButtons() {
  const allowed = state.file !== null && (state.errors === 0 || $("#force").checked);
  $("#gen-docx").disabled = !allowed;
  $("#gen-pdf").disabled = !allowed || !$("#gen-pdf").dataset.available;
}
$("#force").addEventListener("change", updateButtons);

function generate(button, format) {
  const file = state.file;
  busy(button, $("#generate"), async (ticket) => {
    const now = await fingerprintOf(file);
    if (now === null) {
      state.file = null;
      showFile();
      throw new Error(CHANGED);
    }
    let note = "";
    if (now !== state.checked) {  // changed since its check: check again first, and say so
      await checkNow(file, ticket);
      note = "工作簿在检查后被修改过，已重新检查（结果见“② 检查”）。";
      if (state.errors && !$("#force").checked) {
        throw new Error(note + "现在有 " + state.errors + " 处错误，请修改后再生成，或勾选“仍然生成”。");
      }
    }
    const extra = { format: format, force: $("#force").checked ? "1" : "0" };
    return note + "已下载：" + await download("/api/generate", withFile(file, extra), "部门决算." + format, ticket);
  }).then(updateButtons);
}
$("#gen-docx").addEventListener("click", (event) => generate(event.target, "docx"));
$("#gen-pdf").addEventListener("click", (event) => generate(event.target, "pdf"));

// ---- 汇总 ------------------------------------------------------------------------------------------------
function chooseMerge(files) {
  state.mergeFiles = files;
  $("#merge-files").textContent = "已选择 " + files.length + " 个文件：" + files.map((f) => f.name).join("、");
  $("#merge-start").disabled = files.length === 0;
}

$("#merge-start").addEventListener("click", (event) => {
  const data = new FormData();
  state.mergeFiles.forEach((file) => data.append("files", file, file.name));
  data.append("force", $("#merge-force").checked ? "1" : "0");
  busy(event.target, $("#merge"), async (ticket) =>
    "已下载：" + await download("/api/merge", data, "部门工作簿.xlsx", ticket) + "。请填好标色的单元格，再检查、生成。");
});

// ---- 批量 ------------------------------------------------------------------------------------------------
function chooseBatch(files) {
  state.batchFiles = files;
  $("#batch-files").textContent = "已选择 " + files.length + " 个文件：" + files.map((f) => f.name).join("、");
  $("#batch-start").disabled = files.length === 0;
}

$("#batch-start").addEventListener("click", (event) => {
  const button = event.target;
  const data = new FormData();
  state.batchFiles.forEach((file) => data.append("files", file, file.name));
  data.append("force", $("#batch-force").checked ? "1" : "0");
  data.append("pdf", $("#batch-pdf") && $("#batch-pdf").checked ? "1" : "0");
  $("#batch-result").innerHTML = "";
  busy(button, $("#batch"), async (ticket) => {
    const job = await (await send("/api/batch", data, ticket)).json();
    return await follow(job.job);
  });
});

async function follow(job) {
  const bar = $("#batch-progress");
  bar.hidden = false;
  for (;;) {
    const response = await reach("/api/batch/" + encodeURIComponent(job));
    let status;
    try { status = await response.json(); } catch (error) { throw new Error(OFFLINE); }
    if (!response.ok || status.error) throw new Error(status.error || "批量任务失败，请重试。");
    $("progress", bar).max = status.total || 1;
    $("progress", bar).value = status.done;
    $("span", bar).textContent = status.place > 0
      ? "排队等候：前面还有 " + (status.place - 1) + " 个批量任务，已等待 " + status.seconds + " 秒"
      : "已处理 " + status.done + "/" + status.total + " 份，有问题 " + status.problems + " 份（已用时 " + status.seconds + " 秒）";
    if (status.state === "done") {
      $("#batch-result").innerHTML = status.html;
      return "完成。";
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
