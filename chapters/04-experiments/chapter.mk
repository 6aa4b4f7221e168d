# Chapter 4: experiments with chapter 3's program. Each run is its own target, so `make -j2` runs two at once,
# a changed batched.c reruns them all, and an edited chapter.md reruns none. The sweep runs every rate with
# EXP_SEEDS; the rate it selects then runs again with EXP_MORE_SEEDS, so that its band of seeds is wider than
# the sweep's; the final runs use all the seeds. (A third seed for every rate would add seven runs, a third of
# the book's time, to narrow the spread of rates that are not chosen.)

# ----- the grid: edit these and rerun `make book` ---------------------------------------------------
EXP_RATES  := 0.001 0.003 0.01 0.03 0.1 0.3 1 30
EXP_SEEDS  := 1 2
EXP_MORE_SEEDS := 3
EXP_BATCH  := 16
EXP_EPOCHS := 5
EXP_HIDDEN := 300
# The training loss after each epoch is measured on the first EXP_EVAL_TRAIN training images, as many as the
# validation set: all 55 000 would cost half as long as the epoch itself.
EXP_EVAL_TRAIN := 5000
ifdef QUICK
EXP_RATES  := 0.01 0.3 30
EXP_SEEDS  := 1
EXP_MORE_SEEDS := 2
EXP_EPOCHS := 2
EXP_LIMIT  := --limit 1000
endif
# ------------------------------------------------------------------------------------------------------

# 20 runs, the longest chain of the book (grid, then the choice, then the final runs): make starts it first.
LONG_CHAPTERS += 04-experiments

EXP     := $(B)/04-experiments
BATCHED := $(B)/03-batched/batched
EXP_FLAGS = --epochs $(EXP_EPOCHS) --batch $(EXP_BATCH) --hidden $(EXP_HIDDEN) --mnist $(MNIST) $(EXP_LIMIT) \
            --eval-train $(EXP_EVAL_TRAIN)
EXP_DEPS  = $(call program,03-batched/batched) $(MNIST)/.verified

# One run of batched per target (run_one, in the Makefile). Exit status 3 is a diverged run: its results say so,
# and the chapter shows it as such; any other failure stops the build.
exp_run = $(call run_one,04-experiments: $(patsubst $(EXP)/%,%,$(@D)),$(BATCHED) $(EXP_FLAGS) $1 --out $(@D).tmp,diverged-ok)

# Each run depends on its own flags (mk/run.mk's settings), so that adding a rate trains that rate's runs only.
exp_grid_flags = --lr $(patsubst lr%,%,$(firstword $(subst _s, ,$1))) --seed $(lastword $(subst _s, ,$1))
EXP_NAMES := $(foreach r,$(EXP_RATES),$(foreach s,$(EXP_SEEDS),lr$(r)_s$(s)))
EXP_RUNS := $(foreach n,$(EXP_NAMES),$(EXP)/runs/$n/done)
$(foreach n,$(EXP_NAMES),$(eval $(EXP)/runs/$n/done: \
  $(call settings,04-experiments/runs/$n,$(EXP_FLAGS) $(call exp_grid_flags,$n))))
$(EXP_RUNS): $(EXP)/runs/lr%/done: $(EXP_DEPS)
	$(call exp_run,$(call exp_grid_flags,lr$*))

# The learning rate with the lowest mean validation loss, rewritten only when it changes.
EXP_GRID = --runs $(EXP)/runs --rates "$(EXP_RATES)" --seeds "$(EXP_SEEDS)"
EXP_GRID_SET := $(call settings,04-experiments/grid,$(EXP_GRID) / $(EXP_MORE_SEEDS))
$(EXP)/chosen_lr: $(EXP_RUNS) $(call program,04-experiments/summarize) $(EXP_GRID_SET)
	@$(B)/04-experiments/summarize $(EXP_GRID) --select > $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; echo "== 04-experiments: selected lr $$(cat $@)"; fi

EXP_MORE := $(foreach s,$(EXP_MORE_SEEDS),$(EXP)/more/s$(s)/done)
$(foreach s,$(EXP_MORE_SEEDS),$(eval $(EXP)/more/s$s/done: $(call settings,04-experiments/more/s$s,$(EXP_FLAGS))))
$(EXP_MORE): $(EXP)/more/s%/done: $(EXP_DEPS) $(EXP)/chosen_lr
	$(call exp_run,--lr $$(cat $(EXP)/chosen_lr) --seed $*)

EXP_FINAL := $(foreach s,$(EXP_SEEDS) $(EXP_MORE_SEEDS),$(EXP)/final/s$(s)/done)
$(foreach s,$(EXP_SEEDS) $(EXP_MORE_SEEDS),$(eval $(EXP)/final/s$s/done: \
  $(call settings,04-experiments/final/s$s,$(EXP_FLAGS))))
$(EXP_FINAL): $(EXP)/final/s%/done: $(EXP_DEPS) $(EXP)/chosen_lr
	$(call exp_run,--final --lr $$(cat $(EXP)/chosen_lr) --seed $*)

$(EXP)/out/done: $(EXP_RUNS) $(EXP_MORE) $(EXP_FINAL) $(call program,04-experiments/summarize) $(EXP_GRID_SET) \
                 chapters/04-experiments/chapter.mk
	$(call run_into,04-experiments,$(B)/04-experiments/summarize $(EXP_GRID) \
	  --more $(EXP)/more --more-seeds "$(EXP_MORE_SEEDS)" --final $(EXP)/final --out $$OUT; \
	  grep '^n_train_eval ' $(EXP)/runs/lr$(firstword $(EXP_RATES))_s$(firstword $(EXP_SEEDS))/results.txt \
	    > $$OUT/sample.txt)
