// Only in `python build.py preview`: the page reloads when the site is rebuilt, and a build
// error shows over the page until the next good save.
(() => {
  const events = new EventSource("/__preview/events");
  let box = null;
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("error-report", (e) => {
    if (!box) {
      box = document.createElement("div");
      box.className = "preview-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;top:0;z-index:1000;padding:1rem 1.25rem;background:#7a1212;" +
        "color:#fff;font:15px/1.4 ui-monospace,monospace;white-space:pre-wrap;box-shadow:0 4px 20px rgb(0 0 0/.4)";
      document.body.append(box);
    }
    box.textContent = "Build error (the page shows the last good build):\n" + JSON.parse(e.data).message;
  });
})();
