# backprop-workbook — the whole build. `make help` lists the targets.
#
#   chapters/NN-name/chapter.md ──────────────────────────────────┐
#   chapters/NN-name/prog.c ─cc─> build/NN-name/prog ─run─> build/NN-name/out/ ─┬─> weave ─> book/NN-name.html
#                                                                            └─> plot ──> figures/NN-name/*.svg
#
# Every arrow is a rule with real prerequisites: editing a chapter program reruns that program
# only; editing chapter.md redraws and re-weaves that chapter only, without retraining.

.DEFAULT_GOAL := book
.DELETE_ON_ERROR:
.SECONDEXPANSION:
SHELL := /bin/bash

# Output folders (overridable, so that a test can build a whole book elsewhere).
B    ?= build
BOOK ?= book
FIG  ?= figures
DATA ?= data

CC      ?= cc
WARN     = -Wall -Wextra -pedantic -Wshadow -Wno-unused-parameter
CFLAGS  ?= -O3 -march=native
CFLAGS  += -std=c11 -D_DEFAULT_SOURCE $(WARN) -Isrc
PKGS     = cairo libcmark openblas
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LDLIBS   = -lm

# Trainings run single-threaded so that `make -j2` runs two of them side by side.
export OPENBLAS_NUM_THREADS = 1
# Quiet, reproducible number formatting in every tool.
export LC_ALL = C

CHAPTERS := $(sort $(patsubst chapters/%/chapter.md,%,$(wildcard chapters/*/chapter.md)))
# The page a chapter becomes: the preface is the book's front page.
page = $(BOOK)/$(if $(filter 00-%,$1),index,$1).html

# ----- dependencies: Debian packages, installed once -----------------------------------------------

DEB_PACKAGES = build-essential pkg-config libcairo2-dev libcmark-dev libopenblas-dev libjs-katex fonts-katex \
               fonts-dejavu-core ca-certificates nodejs
DEPS := $(B)/.deps-ok

$(DEPS): tools/setup.sh
	@mkdir -p $(@D)
	@tools/setup.sh $(DEB_PACKAGES)
	@touch $@

deps: $(DEPS) ## install the Debian packages the build needs (apt-get, as root)

# ----- the shared code and the tools --------------------------------------------------------------

LIB_SRC := src/wb.c src/flags.c src/tsv.c src/rng.c src/idx.c src/progress.c
LIB_OBJ := $(LIB_SRC:src/%.c=$(B)/obj/%.o)
LIB_HDR := $(wildcard src/*.h)
.SECONDARY: $(LIB_OBJ)

$(B)/obj/%.o: src/%.c $(LIB_HDR) | $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

# The weaver and the plotter run for milliseconds: -O1 compiles them in a third of the time -O3 takes.
$(B)/tools/%: src/%.c $(LIB_OBJ) $(LIB_HDR) | $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -O1 $(PKG_CFLAGS) $< $(LIB_OBJ) -o $@ $(PKG_LIBS) $(LDLIBS)

WEAVE := $(B)/tools/weave
PLOT  := $(B)/tools/plot
tools: $(WEAVE) $(PLOT) ## build the weaver and the plotter

# ----- MNIST ---------------------------------------------------------------------------------------

MNIST := $(DATA)/mnist
$(MNIST)/.verified: tools/fetch-mnist.sh tools/mnist.sha256
	@tools/fetch-mnist.sh $(MNIST)

data: $(MNIST)/.verified ## fetch and verify MNIST into data/mnist (or MNIST_DIR=/path to use your files)

# ----- chapters: compile, run, plot, weave ---------------------------------------------------------

# A chapter program: chapters/NN-name/prog.c -> build/NN-name/prog
$(B)/%: chapters/%.c $(LIB_OBJ) $(LIB_HDR) | $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) $< $(LIB_OBJ) -o $@ $(PKG_LIBS) $(LDLIBS)

# A chapter with no program (the preface) has nothing to run.
$(B)/%/out/done:
	@mkdir -p $(@D) && touch $@

# How each chapter runs its program: the rule for $(B)/NN-name/out/done.
-include $(wildcard chapters/*/chapter.mk)

# Runs a chapter's commands into a fresh folder ($$OUT) and moves it into place as $(B)/NN-name/out
# only when they all succeeded, so an interrupted or failed run never leaves half a result.
# How long the commands took goes into out/time.txt ("seconds 3.14", for the colophon) and onto the screen.
# Use, in the recipe of $(B)/NN-name/out/done: $(call run_into,NN-name,commands using $$OUT)
define run_into
	@echo "== running $1 (because of: $(notdir $?))"
	@rm -rf $(@D).tmp && mkdir -p $(@D).tmp
	@OUT=$(@D).tmp; t0=$$EPOCHREALTIME; set -ex; $2; { set +x; } 2>/dev/null; $(run_time)
$(call run_commit,$1)
endef

# Runs one program of a chapter into the fresh folder $(@D).tmp (the command gets `--out $(@D).tmp` from the
# caller) and moves it into place as $(@D) only when it succeeded, with its messages in log (shown when it fails)
# and its time in time.txt. One target per run lets `make -j` run a chapter's runs side by side.
# $3 non-empty accepts exit status 3, a diverged run: its results say so and the chapter shows it as such.
# Use, in the recipe of $(B)/NN-name/.../done: $(call run_one,name on screen,command,diverged-ok)
define run_one
	@echo "== running $1"
	@rm -rf $(@D).tmp && mkdir -p $(@D).tmp
	@t0=$$EPOCHREALTIME; \
	 { $2 2>$(@D).tmp/log || { s=$$?; cat $(@D).tmp/log >&2; [ -n "$3" ] && [ $$s -eq 3 ]; }; } && $(run_time)
$(call run_commit,$1)
endef

# The end of both: the seconds since $$t0 into time.txt, then the finished folder moved into place and named.
run_time = awk -v a=$$t0 -v b=$$EPOCHREALTIME 'BEGIN { printf "seconds %.2f\n", b - a }' > $(@D).tmp/time.txt
define run_commit
	@touch $(@D).tmp/done && rm -rf $(@D) && mv $(@D).tmp $(@D)
	@echo "== $1 done in $$(cut -d' ' -f2 $(@D)/time.txt) s"
endef

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
	@$(PLOT) --chapter chapters/$1/chapter.md --data $(B)/$1/out --out $(FIG)/$1.tmp
	@touch $(FIG)/$1.tmp/done && rm -rf $(FIG)/$1 && mv $(FIG)/$1.tmp $(FIG)/$1
	@rm -rf $(BOOK)/figures/$1 && mkdir -p $(BOOK)/figures && cp -r $(FIG)/$1 $(BOOK)/figures/$1

# The page, then every formula on it checked by KaTeX at build time, so that bad TeX is an error naming
# its line rather than red text in the browser.
$(call page,$1): chapters/$1/chapter.md $(wildcard chapters/$1/*.c) $(B)/$1/out/done $(FIG)/$1/done \
                 $(WEAVE) $(B)/toc.tsv tools/katex-check.js | $(BOOK)/assets
	@echo "== weaving $1"
	@$(WEAVE) --chapter chapters/$1 --data $(B)/$1/out --figures $(BOOK)/figures/$1 --toc $(B)/toc.tsv \
	   --math-out $(B)/$1/math.tsv --out $$@
	@node tools/katex-check.js $(B)/$1/math.tsv chapters/$1/chapter.md
endef
$(foreach ch,$(CHAPTERS),$(eval $(call chapter_rules,$(ch))))

# ----- the book's static files: KaTeX (offline), style sheet, script -------------------------------

KATEX_DIR = /usr/share/javascript/katex
$(BOOK)/assets: src/assets/style.css src/assets/book.js | $(DEPS)
	@rm -rf $@.tmp && mkdir -p $@.tmp/katex
	@cp -L $(KATEX_DIR)/katex.min.js $(KATEX_DIR)/katex.min.css $@.tmp/katex/
	@cp -rL $(KATEX_DIR)/fonts $@.tmp/katex/fonts
	@cp src/assets/style.css src/assets/book.js $@.tmp/
	@rm -rf $@ && mv $@.tmp $@

# The pages whose runs take longest come first (a chapter.mk adds its chapter to LONG_CHAPTERS): `make -j` then
# reaches chapter 4's runs before the quick chapters', which end up filling the cores beside its last runs.
PAGES := $(foreach ch,$(filter $(LONG_CHAPTERS),$(CHAPTERS)) $(filter-out $(LONG_CHAPTERS),$(CHAPTERS)),\
           $(call page,$(ch)))
# A chapter renamed or removed would leave its old page and figures in the book: they go.
book: $(PAGES) $(BOOK)/assets ## run every chapter program, draw the figures, write book/index.html
	@for f in $(BOOK)/[0-9][0-9]-*.html $(BOOK)/figures/[0-9][0-9]-*; do \
	   ch=$${f##*/}; ch=$${ch%.html}; \
	   case " $(CHAPTERS) " in *" $$ch "*) ;; *) [ -e "$$f" ] && rm -rf "$$f" && echo "book: removed $$f (no chapter makes it now)";; esac; \
	 done; true
	@echo "book: $(words $(PAGES)) pages in $(BOOK)/ — open $(BOOK)/index.html"

# ----- tests ---------------------------------------------------------------------------------------

# Tests are built with AddressSanitizer and UndefinedBehaviorSanitizer, in their own folder.
SAN       = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
TCFLAGS   = -O1 -g $(SAN) -std=c11 -D_DEFAULT_SOURCE $(WARN) -Isrc -Itests -DTESTING
TESTS_SRC := $(wildcard tests/test_*.c)
TESTS     := $(TESTS_SRC:tests/%.c=$(B)/tests/%)
TEST_LIB  := $(LIB_SRC)

# A test file #includes the program or tool it tests (whose main hides behind #ifndef TESTING).
$(B)/tests/%: tests/%.c tests/tap.h $(TEST_LIB) $(LIB_HDR) $$(shell sed -n 's/^\#include "\.\.\/\(.*\)"/\1/p' tests/$$*.c) | $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(TCFLAGS) $(PKG_CFLAGS) $< $(TEST_LIB) -o $@ $(PKG_LIBS) $(LDLIBS)

test: $(TESTS) $(WEAVE) $(PLOT) $(MNIST)/.verified ## build everything under sanitizers and run every test
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	 B=$(B) MNIST=$(MNIST) WEAVE=$(WEAVE) PLOT=$(PLOT) prove -f $(TESTS) $(wildcard tests/*.sh)

# ----- more targets: benchmarks, fuzzing and leak checks, the printable book (one file each) -------

-include $(wildcard mk/*.mk)

# ----- housekeeping --------------------------------------------------------------------------------

clean: ## remove every build output (keeps the MNIST download in data/)
	rm -rf $(B) $(BOOK) $(FIG)

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | sort | expand -t 12

.PHONY: book test deps data tools clean help
