"""No signal, the way a phone without one sees it.

Chromium's offline emulation (``context.set_offline``) reaches a document a moment after it starts: a page
just opened or reloaded can read ``navigator.onLine`` as true, and send a request, before it applies. A
phone without signal has no such moment. So, while the signal is down, every document of the context reads
``navigator.onLine`` as false from its first script on (a flag in the origin's storage, read by an init
script), and every request that would leave the browser is refused. Answers the service worker gives from
its cache never leave the browser and are not affected."""

import weakref

_READS_FLAG = weakref.WeakSet()
_FLAG = "e2e-no-signal"
_ON_LINE = """(() => {
  const flag = "FLAG";
  const real = Object.getOwnPropertyDescriptor(Navigator.prototype, "onLine").get;
  Object.defineProperty(Navigator.prototype, "onLine", { configurable: true, get() {
    try { if (localStorage.getItem(flag)) return false; } catch (e) { /* no storage here */ }
    return real.call(this);
  } });
})();""".replace("FLAG", _FLAG)


def _refuse(route):
    route.abort("internetdisconnected")


def signal_lost(context):
    if context not in _READS_FLAG:
        context.add_init_script(_ON_LINE)
        _READS_FLAG.add(context)
    for page in context.pages:
        page.evaluate(f"localStorage.setItem('{_FLAG}', '1')")
    context.set_offline(True)
    context.route("**/*", _refuse)


def signal_back(context):
    for page in context.pages:
        page.evaluate(f"localStorage.removeItem('{_FLAG}')")
    context.unroute("**/*", _refuse)
    context.set_offline(False)
