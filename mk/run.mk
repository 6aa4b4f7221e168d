# run.mk — the macros a chapter's chapter.mk runs its program with (docs/AUTHORING.md, "Running a chapter").
#
# A chapter.mk writes the rule for $(B)/NN-name/out/done: the folder the weaver and the plotter read. Both macros
# run into a fresh folder and move it into place only when every command succeeded, so an interrupted or failed
# run never leaves half a result; both write how long the commands took into time.txt ("seconds 3.14", for the
# colophon) and say on the screen what runs and when it is done.
#
#   run_into  several commands into one folder, the chapter's out/:
#               $(B)/NN-name/out/done: $(call program,NN-name/prog) $(call settings,NN-name/out,$(FLAGS))
#               	$(call run_into,NN-name,$(B)/NN-name/prog $(FLAGS) --out $$OUT; $(B)/NN-name/prog --gradcheck ...)
#   run_one   one program run into its own folder, so that `make -j` runs a chapter's runs side by side:
#               $(B)/NN-name/runs/a/done: $(call program,NN-name/prog) $(call settings,NN-name/runs/a,--lr 0.1)
#               	$(call run_one,NN-name: a,$(B)/NN-name/prog --lr 0.1 --out $(@D).tmp,diverged-ok)
#             the command's messages go into log (shown when it fails); a third argument, non-empty, accepts
#             exit status 3, a diverged run, whose results say so and which the chapter shows as such.

# What a run depends on is what it computes with, by content: the program's bytes and its own settings, not
# the time stamps of their sources. So a touch of a source file, a program rebuilt identical, or an edit to
# another run's flags in the same chapter.mk reruns nothing; QUICK=1 changes the settings, so it reruns. A rule
# of run_one (one training of many) depends on these alone; a rule of run_into, which collects a chapter's
# folder and is cheap or is its chapter's only run, also depends on its chapter.mk, so that an edit of its
# commands reruns it.
#   $(call program,NN-name/prog)  the program's content stamp, $(B)/NN-name/prog.sum: rewritten only when the
#                                 compiled program's bytes change (a list the recipe names the program itself)
#   $(call settings,NAME,TEXT)    a settings stamp, $(B)/NAME.set, holding TEXT (the run's flags): rewritten
#                                 only when TEXT changes. Call it once per NAME.
program = $(eval S_STAMPS += $(B)/$1.sum)$(B)/$1.sum
$(B)/%.sum: $(B)/%
	@sha256sum $< | cut -d' ' -f1 > $@.tmp; if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

settings = $(eval $(call S_settings_rule,$(B)/$1.set,$2))$(eval S_STAMPS += $(B)/$1.set)$(B)/$1.set
define S_settings_rule
$1: $(if $(S_PLAN_DRY),,FORCE)
	@mkdir -p $$(@D); printf '%s\n' '$(subst ','\'',$(strip $2))' > $$@.tmp; \
	 if cmp -s $$@.tmp $$@; then rm $$@.tmp; else mv $$@.tmp $$@; fi
endef
FORCE:
.PHONY: FORCE

# The plan of a build, for `make serve`'s status line (tools/make-book.sh with WB_PLAN=1): how many runs each
# chapter will start. A dry run (make -n) cannot tell by itself, since a settings stamp's rule always runs (FORCE)
# and a program's stamp waits for its program; so book-stamps brings every stamp up to date first (the build
# would do that anyway), and the dry run then takes them as they are (S_PLAN_DRY=1). The count is an upper
# bound: a run may wait on a file that its recipe leaves as it was (chapter 4's chosen_lr), and then not run.
# (Its rule is in the Makefile, after every chapter.mk has named its stamps.)

# Why a run reruns, in words, for its "== running" line: "batched changed" (the program), "its settings
# changed", "MNIST was fetched", "02-vector/out changed" (a run it reads), "chosen_lr changed", "it has not
# run yet".
because = $(if $(wildcard $@),$(strip $(S_why)),it has not run yet)
S_done = $(filter %/done,$?)
S_why = $(foreach p,$(filter %.sum,$?),$(notdir $(basename $p)) changed;) \
        $(if $(filter %.set,$?),its settings changed;) $(if $(filter %/.verified,$?),MNIST was fetched;) \
        $(if $(word 3,$(S_done)),$(words $(S_done)) of the runs it reads changed;,\
          $(foreach p,$(S_done),$(patsubst $(B)/%/done,%,$p) changed;)) \
        $(foreach p,$(filter-out %.sum %.set %/.verified %/done,$?),$(notdir $p) changed;)

# A gradient check inside either: $(call gradcheck,PROG --gradcheck --out DIR). Its exit status 4 (a group
# failed, gradcheck.tsv says which) is what the book shows the reader, so it does not stop the build; the book's
# last lines name it (tools/book-report.sh), and STRICT=1 makes it an error there.
gradcheck = { $1 || [ $$? -eq 4 ]; }

# Use, in the recipe of $(B)/NN-name/out/done: $(call run_into,NN-name,commands using $$OUT)
define run_into
	@echo "== running $1 ($(because))" | sed 's/;)/)/; s/;/,/g'
	@rm -rf $(@D).tmp && mkdir -p $(@D).tmp
	@OUT=$(@D).tmp; t0=$$EPOCHREALTIME; set -ex; $2; { set +x; } 2>/dev/null; $(run_time)
$(call run_commit,$1)
endef

# Use, in the recipe of $(B)/NN-name/.../done: $(call run_one,name on screen,command,diverged-ok)
define run_one
	@echo "== running $1 ($(because))" | sed 's/;)/)/; s/;/,/g'
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
