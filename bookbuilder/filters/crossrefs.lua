-- Cross-references in Quarto's syntax, taken out of Pandoc's citations before citeproc sees
-- them (a reference to a figure or a section is no work in the bibliography):
--   @fig-timeline   [@fig-timeline]   a figure (a chart's id:, an image's {#fig-plan})
--   @sec-moscow-trials                a chapter (sec-<its id>) or a section ({#sec-...})
--   [-@fig-timeline]                  the number alone
--   @Fig-timeline                     capitalised
-- Each becomes <span class="xref" data-xref="fig-timeline">??</span>; the passes resolve it
-- (bookbuilder/passes/crossrefs.py) and the renderers write its words.
local PREFIXES = { fig = true, sec = true }

local function xref_key(id)
  local lower = id:sub(1, 1):lower() .. id:sub(2)
  local prefix = lower:match("^(%a+)%-.")
  if prefix and PREFIXES[prefix] then
    return lower
  end
  return nil
end

function Cite(el)
  local spans = {}
  for _, citation in ipairs(el.citations) do
    local key = xref_key(citation.id)
    if not key then
      return nil
    end
    local attrs = { ["data-xref"] = key, ["data-written"] = citation.id }
    if key ~= citation.id then
      attrs["data-capital"] = "1"
    end
    if citation.mode == "SuppressAuthor" then
      attrs["data-bare"] = "1"
    end
    if #spans > 0 then
      table.insert(spans, pandoc.Str(", "))
    end
    table.insert(spans, pandoc.Span({ pandoc.Str("??") }, pandoc.Attr("", { "xref" }, attrs)))
  end
  return spans
end
