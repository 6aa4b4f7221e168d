# Chapter 4: experiments with chapter 3's program. Each run is its own target, so `make -j2` runs two at once,
# a changed batched.c reruns them all, and an edited chapter.md reruns none.

# ----- the grid: edit these and rerun `make book` ---------------------------------------------------
EXP_RATES  := 0.001 0.003 0.01 0.03 0.1 0.3 1 30
EXP_SEEDS  := 1 2 3
EXP_BATCH  := 16
EXP_EPOCHS := 5
EXP_HIDDEN := 300
# The training loss after each epoch is measured on the first EXP_EVAL_TRAIN training images: all 55 000
# would cost half as long as the epoch itself.
EXP_EVAL_TRAIN := 10000
ifdef QUICK
EXP_RATES  := 0.01 0.3 30
EXP_SEEDS  := 1 2
EXP_EPOCHS := 2
EXP_LIMIT  := --limit 1000
endif
# ------------------------------------------------------------------------------------------------------

EXP     := $(B)/04-experiments
BATCHED := $(B)/03-batched/batched
EXP_FLAGS = --epochs $(EXP_EPOCHS) --batch $(EXP_BATCH) --hidden $(EXP_HIDDEN) --mnist $(MNIST) $(EXP_LIMIT) \
            --eval-train $(EXP_EVAL_TRAIN)
EXP_DEPS  = $(BATCHED) $(MNIST)/.verified chapters/04-experiments/chapter.mk

# Runs batched into folder $1 with extra flags $2. Exit status 3 is a diverged run: its results say so, and the
# chapter shows it as such; any other failure stops the build.
define exp_run
	@echo "== running 04-experiments: $(notdir $(@D))"
	@rm -rf $(@D).tmp && mkdir -p $(@D).tmp
	@t0=$$EPOCHREALTIME; \
	 { $(BATCHED) $(EXP_FLAGS) $2 --out $(@D).tmp 2>$(@D).tmp/log || { s=$$?; cat $(@D).tmp/log >&2; [ $$s -eq 3 ]; }; } && \
	 awk -v a=$$t0 -v b=$$EPOCHREALTIME 'BEGIN { printf "seconds %.2f\n", b - a }' > $(@D).tmp/time.txt
	@touch $(@D).tmp/done && rm -rf $(@D) && mv $(@D).tmp $(@D)
	@echo "== 04-experiments: $(notdir $(@D)) done in $$(cut -d' ' -f2 $(@D)/time.txt) s"
endef

EXP_RUNS := $(foreach r,$(EXP_RATES),$(foreach s,$(EXP_SEEDS),$(EXP)/runs/lr$(r)_s$(s)/done))
$(EXP_RUNS): $(EXP)/runs/lr%/done: $(EXP_DEPS)
	$(call exp_run,,--lr $(firstword $(subst _s, ,$*)) --seed $(lastword $(subst _s, ,$*)))

# The learning rate with the lowest mean validation loss, rewritten only when it changes.
EXP_GRID = --runs $(EXP)/runs --rates "$(EXP_RATES)" --seeds "$(EXP_SEEDS)"
$(EXP)/chosen_lr: $(EXP_RUNS) $(B)/04-experiments/summarize
	@$(B)/04-experiments/summarize $(EXP_GRID) --select > $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; echo "== 04-experiments: selected lr $$(cat $@)"; fi

EXP_FINAL := $(foreach s,$(EXP_SEEDS),$(EXP)/final/s$(s)/done)
$(EXP_FINAL): $(EXP)/final/s%/done: $(EXP_DEPS) $(EXP)/chosen_lr
	$(call exp_run,,--final --lr $$(cat $(EXP)/chosen_lr) --seed $*)

$(EXP)/out/done: $(EXP_RUNS) $(EXP_FINAL) $(B)/04-experiments/summarize
	$(call run_into,04-experiments,$(B)/04-experiments/summarize $(EXP_GRID) --final $(EXP)/final --out $$OUT; \
	  grep '^n_train_eval ' $(EXP)/runs/lr$(firstword $(EXP_RATES))_s$(firstword $(EXP_SEEDS))/results.txt \
	    > $$OUT/sample.txt)
