// The web edition's reading aids. Without scripts every link still works: notes are at the
// chapter's end with a link back, glossary terms link to the glossary.
(() => {
  "use strict";
  const $ = (s, root = document) => root.querySelector(s);
  const $$ = (s, root = document) => Array.from(root.querySelectorAll(s));
  const status = $(".status");
  // the words this script writes: the book's word list (words/<language>.yaml, web.script)
  const WORDS = JSON.parse(document.body.dataset.words || "{}");
  const fill = (key, values) => (WORDS[key] || key).replace(/\{(\w+)\}/g, (_, name) => values[name]);
  const say = (text) => { status.textContent = text; clearTimeout(say.timer); say.timer = setTimeout(() => { status.textContent = ""; }, 4000); };

  // the contents as a menu on a narrow screen
  const menu = $(".menu-button"), nav = $("#site-nav");
  const closeMenu = () => { nav.classList.remove("open"); menu.setAttribute("aria-expanded", "false"); };
  menu.addEventListener("click", () => {
    const open = nav.classList.toggle("open");
    menu.setAttribute("aria-expanded", String(open));
    if (open) (nav.querySelector('[aria-current="page"]') || nav.querySelector("a")).focus();
  });
  nav.addEventListener("click", (e) => { if (e.target.closest("a")) closeMenu(); });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && nav.classList.contains("open")) { closeMenu(); menu.focus(); }
  });

  // a link to each numbered paragraph, and its citation in the packets' form ("ch. 3, ¶ 12")
  const chapter = document.body.dataset.chapter;
  for (const p of $$("article [data-para][id]")) {
    const n = p.dataset.para;
    const cite = chapter ? `ch. ${chapter}, ¶ ${n}` : `${document.body.dataset.citeTitle}, ¶ ${n}`;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "para-link";
    button.textContent = "¶";
    button.setAttribute("aria-label", fill("copy_link", { n, cite }));
    button.setAttribute("data-pagefind-ignore", "all");
    button.addEventListener("click", async () => {
      const url = new URL("#" + p.id, location.href).href;
      history.replaceState(null, "", "#" + p.id);
      try { await navigator.clipboard.writeText(`${url} (${cite})`); say(fill("link_copied", { cite })); }
      catch { say(fill("link_to", { cite, url })); }
    });
    // a list holds only its items: the button goes into the first
    const holder = /^(UL|OL)$/.test(p.tagName) && p.firstElementChild ? p.firstElementChild : p;
    if (/^(DL|TABLE)$/.test(p.tagName)) continue;
    holder.prepend(button);
  }

  // footnotes: side notes where there is room, else a pop-up; Escape or Close goes back
  const wide = window.matchMedia("(min-width: 75rem)");
  const article = $("article");
  const notes = $$("aside.note");
  const placeNotes = () => {
    document.body.classList.toggle("sidenotes", wide.matches && notes.length > 0);
    if (!wide.matches) { for (const n of notes) n.style.top = ""; return; }
    const top = article.getBoundingClientRect().top;
    let floor = 0;
    for (const note of notes) {
      const ref = document.getElementById(note.id + "-ref");
      const y = ref ? ref.getBoundingClientRect().top - top : floor;
      const at = Math.max(y, floor);
      note.style.top = at + "px";
      floor = at + note.offsetHeight + 12;
    }
  };
  let popup = null, opener = null;
  const closePopup = () => {
    if (!popup || popup.hidden) return;
    popup.hidden = true;
    if (opener) opener.focus();
  };
  const openPopup = (ref, note) => {
    if (!popup) {
      popup = document.createElement("div");
      popup.className = "note-popup";
      popup.setAttribute("role", "dialog");
      popup.tabIndex = -1;
      popup.hidden = true;
      popup.addEventListener("keydown", (e) => { if (e.key === "Escape") { e.stopPropagation(); closePopup(); } });
      document.body.append(popup);
    }
    opener = ref;
    popup.replaceChildren();
    const close = document.createElement("button");
    close.type = "button";
    close.className = "popup-close";
    close.textContent = fill("close", {});
    close.addEventListener("click", closePopup);
    popup.append(close);
    for (const child of note.children) {
      if (!child.classList.contains("note-number")) popup.append(child.cloneNode(true));
    }
    popup.setAttribute("aria-label", note.getAttribute("aria-label"));
    popup.hidden = false;
    popup.focus();
  };
  for (const ref of $$("a.noteref")) {
    const note = document.getElementById((ref.getAttribute("href") || "").split("#")[1]);
    if (!note) continue;
    ref.setAttribute("aria-haspopup", "dialog");
    ref.addEventListener("click", (e) => {
      e.preventDefault();
      if (wide.matches) {
        for (const n of notes) n.classList.toggle("active", n === note);
        note.tabIndex = -1;
        note.focus();
      } else if (popup && !popup.hidden && opener === ref) {
        closePopup();
      } else {
        openPopup(ref, note);
      }
    });
  }
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") closePopup(); });
  document.addEventListener("click", (e) => {
    if (popup && !popup.hidden && !popup.contains(e.target) && !e.target.closest("a.noteref")) closePopup();
  });
  if (notes.length) {
    wide.addEventListener("change", placeNotes);
    window.addEventListener("resize", placeNotes);
    if (document.fonts) document.fonts.ready.then(placeNotes);
    placeNotes();
  }

  // glossary terms: the definition on hover or focus (it stays while the pointer is over it)
  let tip = null, tipFor = null, hideTimer = 0;
  const hideTip = () => { if (tip) tip.hidden = true; tipFor = null; };
  const showTip = (term) => {
    const source = document.getElementById(term.getAttribute("aria-describedby") || "");
    if (!source) return;
    clearTimeout(hideTimer);
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "gloss-tip";
      tip.setAttribute("aria-hidden", "true");     // read already as the term's description
      tip.addEventListener("mouseenter", () => clearTimeout(hideTimer));
      tip.addEventListener("mouseleave", () => { hideTimer = setTimeout(hideTip, 300); });
      document.body.append(tip);
    }
    tip.innerHTML = source.innerHTML;
    tip.hidden = false;
    tipFor = term;
    const box = term.getBoundingClientRect();
    const width = tip.offsetWidth;
    const left = Math.max(8, Math.min(box.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - width - 8));
    tip.style.left = left + "px";
    tip.style.top = (box.bottom + window.scrollY + 6) + "px";
  };
  for (const term of $$("a.glossterm[aria-describedby]")) {
    term.addEventListener("mouseenter", () => showTip(term));
    term.addEventListener("focus", () => showTip(term));
    term.addEventListener("mouseleave", () => { hideTimer = setTimeout(hideTip, 300); });
    term.addEventListener("blur", hideTip);
  }
  document.addEventListener("keydown", (e) => { if (e.key === "Escape" && tipFor) hideTip(); });

  // the header's search box keeps the query on the search page
  const q = new URLSearchParams(location.search).get("q");
  if (q && $("#site-search")) $("#site-search").value = q;
})();
