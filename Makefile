# backprop-workbook — the whole build. `make help` lists the targets.
#
#   chapters/NN-name/chapter.md ──────────────────────────────────┐
#   chapters/NN-name/prog.c ─cc─> build/NN-name/prog ─run─> build/NN-name/out/ ─┬─> weave ─> book/NN-name.html
#                                                                            └─> plot ──> figures/NN-name/*.svg
#
# Every arrow is a rule with real prerequisites: editing a chapter program reruns that program
# only; editing chapter.md redraws and re-weaves that chapter only, without retraining.
# This file is the pipeline. Beside it, in mk/: deps.mk (Debian packages, MNIST, the book's static files),
# cc.mk (flags, the link command, the tools), run.mk (the macros a chapter.mk runs its program with),
# test.mk (`make test`), reader.mk (source pages, print, PDF), bench.mk and fuzz.mk.

.DEFAULT_GOAL := book
.DELETE_ON_ERROR:
.SECONDEXPANSION:
SHELL := /bin/bash

# Output folders (overridable, so that a test can build a whole book elsewhere).
B    ?= build
BOOK ?= book
FIG  ?= figures
DATA ?= data

# Trainings run single-threaded so that `make -j2` runs two of them side by side.
export OPENBLAS_NUM_THREADS = 1
# Quiet, reproducible number formatting in every tool.
export LC_ALL = C

CHAPTERS := $(sort $(patsubst chapters/%/chapter.md,%,$(wildcard chapters/*/chapter.md)))
# The page a chapter becomes: the preface is the book's front page.
page = $(BOOK)/$(if $(filter 00-%,$1),index,$1).html

# `make book` (and one chapter, the PDF, the browser check) uses every core by itself: the trainings are
# single-threaded, so two cores run two of them side by side. Each finished target prints its lines as one
# block (--output-sync), so that the screen stays readable. A -j on the command line wins: `make -j1 book`.
PARALLEL_GOALS := book pdf check-book $(CHAPTERS)
ifeq ($(filter-out $(PARALLEL_GOALS),$(or $(MAKECMDGOALS),book)),)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 1) --output-sync=target
endif

include mk/deps.mk mk/cc.mk

# ----- chapters: compile, run, plot, weave ---------------------------------------------------------

# A chapter program: chapters/NN-name/prog.c -> build/NN-name/prog
$(B)/%: chapters/%.c $(LIB_OBJ) $(LIB_HDR) | $(DEPS)
	$(call link,$(CFLAGS),$< $(LIB_OBJ))

# A chapter with no program (the preface) has nothing to run.
$(B)/%/out/done:
	@mkdir -p $(@D) && touch $@

# How each chapter runs its program: the rule for $(B)/NN-name/out/done, written with mk/run.mk's macros.
include mk/run.mk mk/teach.mk
-include $(wildcard chapters/*/chapter.mk)

# Table of contents: every chapter's folder, page and title. Rewritten only when it changes,
# so editing one chapter's prose does not re-weave the others.
$(B)/toc.tsv: $(wildcard chapters/*/chapter.md) $(WEAVE)
	@mkdir -p $(@D)
	@$(WEAVE) --toc $(addprefix chapters/,$(CHAPTERS)) > $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

define chapter_rules
$(FIG)/$1/done: chapters/$1/chapter.md $(B)/$1/out/done $(PLOT)
	@echo "== drawing figures of $1"
	@rm -rf $(FIG)/$1.tmp && mkdir -p $(FIG)/$1.tmp
	@$(PLOT) --chapter chapters/$1/chapter.md --data $(B)/$1/out --out $(FIG)/$1.tmp || { rm -rf $(FIG)/$1.tmp; exit 1; }
	@touch $(FIG)/$1.tmp/done && rm -rf $(FIG)/$1 && mv $(FIG)/$1.tmp $(FIG)/$1

# The book's copy of them, its own target: a deleted book/ gets its figures back. A full disk leaves no
# half-copied figure, and says so on one line (tools/publish.sh).
$(BOOK)/figures/$1/done: $(FIG)/$1/done
	@mkdir -p $(BOOK)/figures && tools/publish.sh $(BOOK)/figures/$1 'cp -r $(FIG)/$1 "$$$$T"'

# The page, then every formula on it checked by KaTeX at build time, so that bad TeX is an error naming
# its line rather than red text in the browser.
$(call page,$1): chapters/$1/chapter.md $(wildcard chapters/$1/*.c) $(B)/$1/out/done $(BOOK)/figures/$1/done \
                 $(WEAVE) $(HIGHLIGHT_DEFS) $(B)/toc.tsv tools/katex-check.js | $(BOOK)/assets
	@echo "== weaving $1"
	@$(WEAVE) --chapter chapters/$1 --data $(B)/$1/out --figures $(BOOK)/figures/$1 --toc $(B)/toc.tsv \
	   --math-out $(B)/$1/math.tsv --claims-out $(B)/$1/claims.tsv --highlight-cache $(HIGHLIGHT_CACHE) --out $$@
	@node tools/katex-check.js $(B)/$1/math.tsv chapters/$1/chapter.md
endef
$(foreach ch,$(CHAPTERS),$(eval $(call chapter_rules,$(ch))))

# The pages whose runs take longest come first (a chapter.mk adds its chapter to LONG_CHAPTERS): `make -j` then
# reaches chapter 4's runs before the quick chapters', which end up filling the cores beside its last runs.
PAGES := $(foreach ch,$(filter $(LONG_CHAPTERS),$(CHAPTERS)) $(filter-out $(LONG_CHAPTERS),$(CHAPTERS)),\
           $(call page,$(ch)))
# Each page's state stamp is made only when its page could be brought up to date: after `make -k`, a chapter
# without one is out of date (something it depends on failed), and book-report.sh marks its page so.
PAGE_OK := $(foreach ch,$(CHAPTERS),$(B)/pages/$(ch).ok)
$(B)/pages/%.ok: $$(call page,$$*) FORCE
	@mkdir -p $(@D) && touch $@

# Every run's stamps (mk/run.mk): what the plan of a build (WB_PLAN=1, for make serve) brings up to date first.
book-stamps: $(sort $(S_STAMPS))
.PHONY: book-stamps

# A chapter renamed or removed would leave its old page and figures in the book: they go.
book-pages: $(PAGES) $(PAGE_OK) $(BOOK)/assets
	@for f in $(BOOK)/[0-9][0-9]-*.html $(BOOK)/figures/[0-9][0-9]-*; do \
	   ch=$${f##*/}; ch=$${ch%.html}; \
	   case " $(CHAPTERS) " in *" $$ch "*) ;; *) [ -e "$$f" ] && rm -rf "$$f" && echo "book: removed $$f (no chapter makes it now)";; esac; \
	 done; true

# `make book` brings every page it can up to date (make -k book-pages): one broken chapter does not stop the
# others. The report then marks each page that could not be rebuilt as out of date (its last good version stays,
# with the first error of the build), names what failed last, and exits non-zero (tools/make-book.sh). It is the
# only build of the tree while it runs: a second `make book` (or `make 01-scalar`, `make test`) waits for it
# (tools/build-lock.sh).
book: ## run every chapter program, draw the figures, write book/index.html
	+@tools/build-lock.sh $(B) 'make book' tools/make-book.sh "$(MAKE)" $(B) "$(STRICT)" $(BOOK) \
	   $(foreach ch,$(CHAPTERS),$(ch):$(call page,$(ch)))

# ----- more targets, one file each: tests, the reader's extras, benchmarks, fuzzing and leak checks ---------

include mk/reader.mk mk/test.mk mk/bench.mk mk/fuzz.mk

# `make serve`: the book rebuilt on every save, and every open page following it (src/serve.c). It holds no
# build lock itself: each rebuild is a `make book`, which takes it.
PORT ?= 8000
HOST ?= 127.0.0.1
serve: $(SERVE) ## build the book, serve it at http://127.0.0.1:8000/ (PORT=N), rebuild it on every save
	@$(SERVE) --book $(BOOK) --port $(PORT) --host $(HOST) \
	   --make "$(MAKE) --no-print-directory B=$(B) BOOK=$(BOOK) FIG=$(FIG) DATA=$(DATA) book"

# Not while a build runs (it waits for it); the lock file stays, so that a build waiting on it keeps out the next.
clean: ## remove every build output (keeps the MNIST download in data/)
	@echo "rm -rf $(B) $(BOOK) $(FIG) (all but $(B)/.lock)"
	@tools/build-lock.sh $(B) 'make clean' bash -c 'find "$$0" -mindepth 1 -maxdepth 1 ! -name .lock -exec rm -rf {} + && rm -rf "$$@"' \
	   $(B) $(BOOK) $(FIG)

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | sort | expand -t 12

.PHONY: book book-pages serve deps data tools clean help
