"""The web page's routes: parse the upload, call one task (one library verb) in a worker, present the result."""

from __future__ import annotations

import contextlib
import contextvars
import os
import shutil
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from .. import private
from . import tasks
from .jobs import DONE, Jobs
from .queue import QUICK
from .security import Gate, TooLarge, content_disposition, refuse, too_large
from .steps import for_page
from .uploads import Limits, Refused, Upload, expand_archives, names_of, save_uploads, scrub, too_many
from .runner import Runner
from .worker import failure_text

HERE = Path(__file__).resolve().parent
TEMPLATES = Jinja2Templates(env=jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")),
                                                   autoescape=True))
#: The page's ticket for the request being handled (X-Genreport-Ticket): how it asks for its place in the queue.
TICKET: contextvars.ContextVar[str | None] = contextvars.ContextVar("ticket", default=None)
ONE_AT_A_TIME = "这里一次只能处理一个工作簿；多个工作簿请用“批量”。"
MEDIA = {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         ".pdf": "application/pdf", ".zip": "application/zip"}


@dataclass
class Settings:
    """What `genreport serve` configures: access token, limits, worker count and time limits."""

    token: str | None = None
    limits: Limits = field(default_factory=Limits)
    timeout: float = 300.0
    workers: int = max(1, os.cpu_count() or 1)
    keep: float = 1800.0
    """Seconds a finished batch (or a folder a failed download left) is kept before it is deleted."""
    folders: tuple[str, ...] = ()
    """Exported profile folders offered beside the installed profiles (genreport serve --profile)."""
    sweep_every: float = 60.0
    """Seconds between two passes of the retention timer (deleting what is older than keep)."""


class Site:
    """The server's state: the private root folder of all requests, the worker runner, the batch jobs."""

    def __init__(self, settings: Settings) -> None:
        from ..api import list_profiles, load_profile, pdf_available, recorded

        self.settings = settings
        private.sweep_stale()  # what a killed server or office left behind
        self.root = private.private_folder("web")
        self.runner = Runner(settings.workers, settings.timeout)
        self.jobs = Jobs(self.runner, settings.keep)
        chosen = [*list_profiles(), *(load_profile(folder) for folder in settings.folders)]
        self.profiles = {recorded(p) if p.root else p.id: p for p in chosen}
        """How the blank-workbook form names a profile (id, or an exported folder's path) → the profile."""
        self.pdf = pdf_available()
        self._stopped = threading.Event()
        threading.Thread(target=self._retention, daemon=True, name="genreport-retention").start()

    def _retention(self) -> None:
        """Delete expired results on a timer, not only when the next request arrives."""
        while not self._stopped.wait(self.settings.sweep_every):
            with contextlib.suppress(OSError):
                self.sweep()

    @property
    def keep_minutes(self) -> int:
        """Return how long finished batches are kept, in whole minutes (for the page)."""
        return max(1, round(self.settings.keep / 60))

    def new_folder(self) -> Path:
        """Return a new private folder for one request (deleted after its response)."""
        self.sweep()
        return Path(tempfile.mkdtemp(dir=self.root, prefix="r-"))

    def sweep(self) -> None:
        """Delete old batches and any request folder older than keep (e.g. left by an aborted download)."""
        self.jobs.sweep()
        busy, now = self.jobs.folders(), time.time()
        for folder in self.root.iterdir():
            with contextlib.suppress(OSError):
                if folder not in busy and now - folder.stat().st_mtime > self.settings.keep:
                    shutil.rmtree(folder, ignore_errors=True)

    def close(self) -> None:
        self._stopped.set()
        self.runner.stop_all()
        shutil.rmtree(self.root, ignore_errors=True)


# ---- routes --------------------------------------------------------------------------------------


async def index(request: Request) -> Response:
    site: Site = request.app.state.site
    limits = site.settings.limits
    return TEMPLATES.TemplateResponse(request, "index.html", {
        "profiles": list(site.profiles.items()), "pdf": site.pdf,
        "max_mb": limits.request_bytes // (1024 * 1024), "max_files": limits.files,
        "keep_minutes": site.keep_minutes})


Work = Callable[..., Awaitable[Response]]


def in_folder(work: Work, files: int | None = 0) -> Callable[[Request], Awaitable[Response]]:
    """Make work(request, site, form, folder) a route run in a new private folder, taking at most files files
    (None: as many as the site's limits allow).

    The folder is deleted after the response has been sent (a download), at once otherwise or on failure.
    """

    async def route(request: Request) -> Response:
        site: Site = request.app.state.site
        ticket = request.headers.get("x-genreport-ticket", "")
        TICKET.set(ticket if ticket.isascii() and ticket.isalnum() and len(ticket) <= 40 else None)
        folder = site.new_folder()
        with _removed_on_failure(folder):
            form = await _form(request, site, site.settings.limits.files if files is None else files)
            async with _closing(form):
                response = await work(request, site, form, folder)
        if response.background is None and isinstance(response, FileResponse):
            response.background = BackgroundTask(shutil.rmtree, folder, ignore_errors=True)
        else:
            shutil.rmtree(folder, ignore_errors=True)
        return response

    return route


def with_workbook(work: Work) -> Callable[[Request], Awaitable[Response]]:
    """Make work(request, site, upload, form, folder) a route for one uploaded workbook."""

    async def saved(request: Request, site: Site, form: FormData, folder: Path) -> Response:
        return await work(request, site, await _one(site, form, folder), form, folder)

    return in_folder(saved, files=1)


@in_folder
async def blank(request: Request, site: Site, form: FormData, folder: Path) -> Response:
    profile = str(form.get("profile") or "")
    if profile not in site.profiles:
        raise Refused("请从列表中选择一种报告样式。", 400)
    return await _download(site, tasks.blank, (str(folder), profile), {})


@with_workbook
async def next_year(request: Request, site: Site, upload: Upload, form: FormData, folder: Path) -> Response:
    return await _download(site, tasks.next_year, (str(upload.path), upload.name, str(folder)), _names(upload))


@with_workbook
async def check(request: Request, site: Site, upload: Upload, form: FormData, folder: Path) -> Response:
    outcome = await _run(site, tasks.check, (str(upload.path), upload.name), _names(upload))
    context = {"report": outcome, "groups": _groups(outcome["issues"]), "pdf": site.pdf}
    return TEMPLATES.TemplateResponse(request, "report.html", context)


@with_workbook
async def annotate(request: Request, site: Site, upload: Upload, form: FormData, folder: Path) -> Response:
    return await _download(site, tasks.annotate, (str(upload.path), upload.name, str(folder)), _names(upload))


@with_workbook
async def generate(request: Request, site: Site, upload: Upload, form: FormData, folder: Path) -> Response:
    pdf, force = form.get("format") == "pdf", form.get("force") == "1"
    if pdf and not site.pdf:
        raise Refused("本机没有安装 LibreOffice，无法生成 PDF；请下载 Word 文档后用 Word/WPS 另存为 PDF。", 409)
    out = private.make_folder(folder / "out")
    made = await _run(site, tasks.generate, (str(upload.path), str(out), force, pdf), _names(upload))
    if made["path"] is None:
        raise Refused(_refusal(made["errors"], force))
    if pdf and not made["pdf"]:
        notes = scrub("；".join(made["notes"]), [folder, private.root_path()])  # LibreOffice's words: no fields
        raise Refused(for_page(notes) or "未能生成 PDF，请重试。")
    path = Path(made["pdf"] if pdf else made["path"])
    return _file(path, Path(made["name"]).with_suffix(path.suffix).name)


async def _absorbed(request: Request, site: Site, form: FormData, folder: Path) -> Response:
    """The edited .docx (field document) and its workbook (field file) → a zip: updated workbook and the list."""
    refusal = Refused("请选择一份编辑改过的 Word 文档（.docx）；WPS 或 Word 的 .doc 请先另存为 .docx。", 400)
    if not [f for f in form.getlist("document") if getattr(f, "filename", None)]:
        raise refusal
    workbook = await _one(site, form, folder)
    documents = await save_uploads(form.getlist("document"), folder / "document", site.settings.limits)
    if len(documents) != 1 or documents[0].path.suffix != ".docx":
        raise refusal
    document = documents[0]
    names = {**_names(workbook), **_names(document)}
    return await _download(site, tasks.absorb, (str(document.path), document.name, str(workbook.path),
                                                workbook.name, str(folder)), names)


absorb = in_folder(_absorbed, files=2)  # the edited document and its workbook


def _refusal(errors: int, force: bool) -> str:
    if force:
        return "工作簿缺少工作表、表头或固定行，无法生成文档，请先按检查结果修改。"
    return f"工作簿有 {errors} 处错误，未生成文档。请先按检查结果修改，或勾选“有错误也生成”。"


async def _merged(request: Request, site: Site, form: FormData, folder: Path) -> Response:
    uploads = await save_uploads(form.getlist("files"), folder / "in", site.settings.limits)
    workbooks = await run_in_threadpool(expand_archives, uploads, folder / "in", site.settings.limits)
    names = {str(u.path.relative_to(folder)): u.name for u in workbooks}
    made = await _run(site, tasks.merge, (str(folder), names, form.get("force") == "1"), names_of(workbooks, folder))
    if made["path"] is None:
        raise Refused(f"有单位的工作簿有错误，未汇总：{'、'.join(made['bad'])}。请先在“② 检查”中逐份检查修改，"
                      "或勾选“有错误也汇总”。")
    return _file(Path(made["path"]), made["name"])


merge = in_folder(_merged, files=None)


async def batch_start(request: Request) -> Response:
    site: Site = request.app.state.site
    folder = site.new_folder()
    with _removed_on_failure(folder):
        form = await _form(request, site, site.settings.limits.files)
        async with _closing(form):
            if form.get("pdf") == "1" and not site.pdf:
                raise Refused("本机没有安装 LibreOffice，无法生成 PDF，请取消“同时生成 PDF”。", 409)
            uploads = await save_uploads(form.getlist("files"), folder / "in", site.settings.limits)
        workbooks = await run_in_threadpool(expand_archives, uploads, folder / "in", site.settings.limits)
    job = site.jobs.start(folder, workbooks, force=form.get("force") == "1", pdf=form.get("pdf") == "1")
    return JSONResponse({"job": job.id, "total": job.total})


async def batch_status(request: Request) -> Response:
    job = _job(request)
    site: Site = request.app.state.site
    answer: dict[str, Any] = {"state": job.state, "done": job.done, "total": job.total, "problems": job.problems,
                              "place": site.jobs.place(job), "seconds": round(time.monotonic() - job.started)}
    if job.error:
        answer["error"] = job.error
    if job.state == DONE and job.outcome is not None:
        left = site.settings.keep - (time.monotonic() - job.started)
        expires = time.strftime("%H:%M", time.localtime(time.time() + left))
        answer["html"] = TEMPLATES.get_template("batch.html").render(batch=job.outcome, job=job.id, expires=expires,
                                                                     keep_minutes=site.keep_minutes)
    return JSONResponse(answer)


async def batch_download(request: Request) -> Response:
    job = _job(request)
    if job.state != DONE or job.outcome is None:
        raise Refused("批量任务尚未完成，请稍候。", 409)
    return FileResponse(job.outcome["zip"], media_type=MEDIA[".zip"],  # again and again, until it expires
                        headers={"content-disposition": content_disposition("批量生成结果.zip")})


async def queue_place(request: Request) -> Response:
    """Return the place of the page's waiting request (its ticket) among the single-workbook tasks (0: not waiting)."""
    site: Site = request.app.state.site
    return JSONResponse({"place": site.runner.lanes.place(QUICK, request.query_params.get("ticket", ""))})


def _job(request: Request) -> Any:
    site: Site = request.app.state.site
    site.sweep()
    job = site.jobs.get(request.path_params["job"])
    if job is None:
        raise Refused(f"找不到这个批量任务：结果保留 {site.keep_minutes} 分钟后已自动删除（或 genreport 重新启动过），"
                      "请在“④ 批量”中重新上传。", 404)
    return job


# ---- helpers -------------------------------------------------------------------------------------


async def _form(request: Request, site: Site, files: int) -> FormData:
    """Return the posted form; a file part beyond files is refused at its header, before any of it is stored."""
    try:
        return await request.form(max_files=files, max_fields=20)
    except HTTPException as exc:
        if "Too many files" in str(exc.detail):
            raise Refused(too_many(site.settings.limits) if files > 1 else ONE_AT_A_TIME, 413) from None
        raise Refused("上传的内容无法识别，请刷新页面后重新选择文件。", 400) from None


@contextlib.contextmanager
def _removed_on_failure(folder: Path) -> Iterator[None]:
    try:
        yield
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


@contextlib.asynccontextmanager
async def _closing(form: FormData) -> AsyncIterator[FormData]:
    try:
        yield form
    finally:
        await form.close()


async def _one(site: Site, form: FormData, folder: Path) -> Upload:
    uploads = await save_uploads(form.getlist("file"), folder, site.settings.limits)
    if len(uploads) != 1:
        raise Refused(ONE_AT_A_TIME, 400)
    return uploads[0]


def _names(upload: Upload) -> dict[str, str]:
    """Return the name the user gave an upload, by the server's path and name for it (a sentence's file fields)."""
    return {str(upload.path): upload.name, upload.path.name: upload.name}


async def _run(site: Site, task: Callable[..., dict[str, Any]], args: tuple[Any, ...],
               names: dict[str, str]) -> dict[str, Any]:
    """Return the task's outcome from a worker process; its failure becomes Refused, naming files by names."""
    outcome = await run_in_threadpool(site.runner.run, task, args, ticket=TICKET.get())
    if "failure" in outcome:
        raise Refused(failure_text(outcome, names))
    return outcome


async def _download(site: Site, task: Callable[..., dict[str, Any]], args: tuple[Any, ...],
                    names: dict[str, str]) -> Response:
    made = await _run(site, task, args, names)
    return _file(Path(made["path"]), made["name"])


def _file(path: Path, name: str) -> FileResponse:
    return FileResponse(path, media_type=MEDIA.get(path.suffix, "application/octet-stream"),
                        headers={"content-disposition": content_disposition(name)})


def _groups(issues: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Return the issues (already errors first, by sheet and cell) in runs of one severity and sheet."""
    groups: list[dict[str, Any]] = []
    for issue in issues:
        key = (issue["severity"], issue["sheet"])
        if not groups or groups[-1]["key"] != key:
            groups.append({"key": key, "severity": issue["severity"], "sheet": issue["sheet"] or "工作簿", "issues": []})
        groups[-1]["issues"].append(issue)
    return groups


# ---- errors and the application ------------------------------------------------------------------


async def _refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refused)
    return refuse(request, exc.status, exc.message)


async def _too_large(request: Request, exc: Exception) -> Response:
    return refuse(request, 413, too_large(request.app.state.site.settings.limits.request_bytes))


async def _http_error(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 500)
    messages = {404: "没有这个页面，请回到首页。", 405: "不支持这种请求方式，请从 genreport 网页上操作。"}
    return refuse(request, status, messages.get(status, "请求无法处理，请刷新页面后重试。"))


async def _internal_error(request: Request, exc: Exception) -> Response:
    return refuse(request, 500, f"程序内部出错（{type(exc).__name__}），请刷新页面后重试；仍然出错时请联系技术支持。")


def create_app(settings: Settings | None = None) -> Any:
    """Return the ASGI application of `genreport serve` (the gate around the Starlette routes)."""
    settings = settings or Settings()
    site = Site(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            site.close()

    routes = [
        Route("/", index), Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
        Route("/api/blank", blank, methods=["POST"]), Route("/api/next-year", next_year, methods=["POST"]),
        Route("/api/check", check, methods=["POST"]), Route("/api/annotate", annotate, methods=["POST"]),
        Route("/api/generate", generate, methods=["POST"]), Route("/api/merge", merge, methods=["POST"]),
        Route("/api/absorb", absorb, methods=["POST"]),
        Route("/api/batch", batch_start, methods=["POST"]),
        Route("/api/batch/{job}", batch_status), Route("/api/batch/{job}/download", batch_download),
        Route("/api/queue", queue_place),
    ]
    handlers = {Refused: _refused, TooLarge: _too_large, HTTPException: _http_error, Exception: _internal_error}
    app = Starlette(routes=routes, exception_handlers=handlers, lifespan=lifespan)
    app.state.site = site
    gate = Gate(app, settings.token, settings.limits.request_bytes)
    gate.site = site  # type: ignore[attr-defined]  (tests and serve reach the state through the gate)
    return gate
