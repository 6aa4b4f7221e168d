# reader.mk — what the reader gets besides the chapter pages: each chapter program as a page of its own (the
# listings link to it), the whole book on one page for printing, the PDF, and the browser that tests it all.
#
#   make book          also writes book/src/NN-name/FILE.c(.html), book/print.html and the search index
#   make 01-scalar     one chapter: reruns its program if it changed, redraws, rewrites its page
#   make pdf           book/workbook.pdf from book/print.html, and its pages as PNG in build/pdf-pages/
#   make check-book    every page of book/ in headless Chromium, screenshots in build/screenshots/
#   make test          runs the same check on a short (QUICK=1) book: tests/test_browser.sh

# ----- Chromium and poppler, installed once (only the browser test and the PDF need them) ----------------

BROWSER_DEPS := $(B)/.deps-browser-ok
$(BROWSER_DEPS): tools/setup.sh
	@mkdir -p $(@D)
	@tools/setup.sh chromium poppler-utils
	@touch $@

# ----- the chapter programs as pages: book/src/NN-name/FILE.c and FILE.c.html -----------------------------

CHAPTER_SOURCES := $(wildcard $(addsuffix /*.c,$(addprefix chapters/,$(CHAPTERS))))
SOURCE_PAGES    := $(CHAPTER_SOURCES:chapters/%=$(BOOK)/src/%.html) $(CHAPTER_SOURCES:chapters/%=$(BOOK)/src/%)

# The page shows the file's lines highlighted by the weaver (the same cache as the listings'), from
# $(B)/src/NN-name/FILE.c.lines.
$(BOOK)/src/%.c.html: chapters/%.c tools/source-page.js tools/write-atomically.js $(B)/toc.tsv $(WEAVE) $(HIGHLIGHT_DEFS) \
                      | $(DEPS)
	@mkdir -p $(B)/src/$(*D) && $(WEAVE) --highlight $< --highlight-cache $(HIGHLIGHT_CACHE) --out $(B)/src/$*.c.lines
	@node tools/source-page.js $< $(B)/src/$*.c.lines $(B)/toc.tsv $@

$(BOOK)/src/%.c: chapters/%.c
	@mkdir -p $(@D) && tools/publish.sh $@ 'cp $< "$$T"'

# ----- one chapter only: `make 01-scalar` reruns what an edit of that chapter affects and rewrites its page --

# The goal takes the tree's build lock (tools/build-lock.sh: beside a `make book`, it waits for it), then
# brings chapter-NN-name up to date, in a make of its own that shares this one's jobs and output sync.
$(foreach ch,$(CHAPTERS),$(eval chapter-$(ch): $(call page,$(ch)) $(filter $(BOOK)/src/$(ch)/%,$(SOURCE_PAGES))))
$(CHAPTERS):
	+@tools/build-lock.sh $(B) 'make $@' $(MAKE) --no-print-directory chapter-$@
.PHONY: $(CHAPTERS) $(addprefix chapter-,$(CHAPTERS))

# ----- the whole book on one page, and the PDF ---------------------------------------------------------

$(BOOK)/print.html: $(PAGES) tools/print-book.js tools/write-atomically.js $(B)/toc.tsv
	@node tools/print-book.js $(B)/toc.tsv $(BOOK) $@

book-pages: $(SOURCE_PAGES) $(BOOK)/print.html $(BOOK)/search.js

# ----- the search index: every section of every page, for the search box (book.js loads it as a script) ----

$(BOOK)/search.js: $(PAGES) tools/search-index.js tools/write-atomically.js $(B)/toc.tsv | $(BOOK)/assets
	@node tools/search-index.js $(B)/toc.tsv $(BOOK) $@

# Chromium prints once KaTeX has rendered every formula (browser-check.js waits for book.js and the fonts).
# The pages rendered to PNG are for looking at: build/pdf-pages/page-01.png ...
$(BOOK)/workbook.pdf: $(BOOK)/print.html $(SOURCE_PAGES) $(BOOK)/assets tools/browser-check.js | $(BROWSER_DEPS)
	@echo "== printing $@"
	@node tools/browser-check.js pdf $< $@
	@rm -rf $(B)/pdf-pages && mkdir -p $(B)/pdf-pages
	@pdftoppm -r 60 -png $@ $(B)/pdf-pages/page
	@echo "pdf: $@, $$(pdfinfo $@ | sed -n 's/^Pages: *//p') pages (as PNG in $(B)/pdf-pages/)"

pdf: $(BOOK)/workbook.pdf ## the book as one PDF, book/workbook.pdf, through headless Chromium

# ----- the browser check on the built book ---------------------------------------------------------------

check-book: book | $(BROWSER_DEPS) ## load every page of book/ in headless Chromium; screenshots in build/screenshots/
	@node tools/browser-check.js check $(BOOK) $(B) $(B)/screenshots

.PHONY: pdf check-book
