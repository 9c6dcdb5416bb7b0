// genreport serve: a little plain JavaScript. The page keeps the chosen workbook and sends it again for
// each step (check, annotated copy, document), so the server keeps nothing between requests.
"use strict";

const state = { file: null, errors: 0, batchFiles: [] };

function $(selector, root) { return (root || document).querySelector(selector); }

function say(panel, text, kind) {
  const line = $(".status", panel.closest(".card") || panel.closest(".panel") || panel);
  line.textContent = text || "";
  line.className = "status" + (kind ? " " + kind : "");
}

async function send(url, data) {
  const response = await fetch(url, { method: "POST", body: data, credentials: "same-origin",
                                      headers: { "X-Genreport": "1" } });
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

async function download(url, data, fallback) {
  const response = await send(url, data);
  const name = fileName(response, fallback);
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = name;
  document.body.appendChild(link);
  link.click();
  setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 60000);
  return name;
}

async function busy(element, panel, work) {
  if (element) element.disabled = true;
  say(panel, "正在处理，请稍候……", "busy");
  try {
    const done = await work();
    say(panel, done || "", "ok");
  } catch (error) {
    say(panel, error.message, "bad");
  } finally {
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
  "next-year": (files, zone) => busy(null, zone, async () =>
    "已下载：" + await download("/api/next-year", withFile(files[0]), "下一年度工作簿.xlsx")),
  "check": (files, zone) => checkWorkbook(files[0], zone),
  "batch": (files) => chooseBatch(files),
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
  busy($("button", form), form, async () =>
    "已下载：" + await download("/api/blank", new FormData(form), "空白工作簿.xlsx"));
});

// ---- 检查 ------------------------------------------------------------------------------------------------
function checkWorkbook(file, zone) {
  state.file = file;
  const result = $("#check-result");
  result.innerHTML = "";
  return busy(null, zone, async () => {
    const response = await send("/api/check", withFile(file));
    result.innerHTML = await response.text();
    const report = $(".report", result);
    state.errors = Number(report.dataset.errors || 0);
    if (report.dataset.publication) state.file = null;  // a publication is audited, not generated from
    showFile();
    return "";
  }).then(() => { if (!$(".report", result)) { state.file = null; showFile(); } });
}

$("#check-result").addEventListener("click", (event) => {
  const button = event.target.closest("button[data-do]");
  if (!button || !state.file) return;
  if (button.dataset.do === "to-generate") { showTab("generate"); return; }
  busy(button, $("#check"), async () =>
    "已下载：" + await download("/api/annotate", withFile(state.file), "标注.xlsx"));
});

// ---- 生成 ------------------------------------------------------------------------------------------------
function showFile() {
  const ready = state.file !== null;
  $("#gen-file").textContent = ready
    ? "当前工作簿：" + state.file.name + (state.errors ? "（有 " + state.errors + " 处错误，详见“② 检查”）" : "（检查通过）")
    : "还没有选择工作簿：请先在“② 检查”中选择并检查工作簿。";
  $("#gen-errors").hidden = !ready || state.errors === 0;
  $("#force").checked = false;
  updateButtons();
}

function updateButtons() {
  const allowed = state.file !== null && (state.errors === 0 || $("#force").checked);
  $("#gen-docx").disabled = !allowed;
  $("#gen-pdf").disabled = !allowed || !$("#gen-pdf").dataset.available;
}
$("#force").addEventListener("change", updateButtons);

function generate(button, format) {
  const extra = { format: format, force: $("#force").checked ? "1" : "0" };
  busy(button, $("#generate"), async () =>
    "已下载：" + await download("/api/generate", withFile(state.file, extra), "部门决算." + format))
    .then(updateButtons);
}
$("#gen-docx").addEventListener("click", (event) => generate(event.target, "docx"));
$("#gen-pdf").addEventListener("click", (event) => generate(event.target, "pdf"));

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
  busy(button, $("#batch"), async () => {
    const job = await (await send("/api/batch", data)).json();
    return await follow(job.job);
  });
});

async function follow(job) {
  const bar = $("#batch-progress");
  bar.hidden = false;
  for (;;) {
    const response = await fetch("/api/batch/" + encodeURIComponent(job), { credentials: "same-origin" });
    const status = await response.json();
    if (!response.ok || status.error) throw new Error(status.error || "批量任务失败，请重试。");
    $("progress", bar).max = status.total || 1;
    $("progress", bar).value = status.done;
    $("span", bar).textContent = "已处理 " + status.done + "/" + status.total + " 份，有问题 " + status.problems + " 份";
    if (status.state === "done") {
      $("#batch-result").innerHTML = status.html;
      return "完成。";
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
