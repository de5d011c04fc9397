"""One real app, driven by Pilot in a thread of its own, so that a hypothesis
test (which is not async) can give it many examples without starting an app
for each one."""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from typing import Any

from textual.app import App
from textual.pilot import Pilot

Step = Callable[[Pilot, App], Awaitable[Any]]
STEP_TIMEOUT = 60  # seconds; a step that takes longer has hung


class AppThread:
    def __init__(self, app: App, size: tuple[int, int] = (100, 34)) -> None:
        self.app, self.size = app, size
        self._ready: Future[None] = Future()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pilot: Pilot | None = None
        self._stop: asyncio.Event | None = None
        self._context: contextvars.Context | None = None
        self._thread = threading.Thread(target=self._main, daemon=True)

    def __enter__(self) -> AppThread:
        self._thread.start()
        self._ready.result(timeout=STEP_TIMEOUT)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=STEP_TIMEOUT)

    def run(self, step: Step) -> Any:
        """Run `step(pilot, app)` in the app's loop and wait for its result."""
        assert self._loop is not None and self._pilot is not None
        done: Future[Any] = Future()

        def start() -> None:
            # In the app's own context: Textual finds its app through context variables.
            task = self._loop.create_task(step(self._pilot, self.app), context=self._context)
            task.add_done_callback(lambda t: done.set_exception(t.exception())
                                   if t.exception() else done.set_result(t.result()))

        self._loop.call_soon_threadsafe(start)
        return done.result(timeout=STEP_TIMEOUT)

    def _main(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as error:  # the test sees it through _ready
            if not self._ready.done():
                self._ready.set_exception(error)

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        async with self.app.run_test(size=self.size, notifications=True) as pilot:
            self._pilot = pilot
            self._context = contextvars.copy_context()
            self._ready.set_result(None)
            await self._stop.wait()
