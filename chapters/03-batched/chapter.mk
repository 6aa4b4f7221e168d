# Chapter 3: the mini-batch program at batch sizes 16 and 8 with the same rate per image (0.05 x B), one epoch
# at batch size 16 with chapter 2's per-image rate scaled by 16, and the gradient check. Chapter 2's per-sample
# loss curve and results are copied in beside them for the comparison. Seed 0, as chapter 2: the same initial
# network and the same order of images. QUICK=1 (the end-to-end test): 2 epochs on the first 2 000 images.
# Each run is its own target (run_one, in the Makefile), so `make -j2` runs them side by side.
BATCHED_EPOCHS := $(if $(QUICK),2,5)
# The training loss after each epoch on the first 5 000 training images, as many as the validation set: all
# 55 000 would cost half an epoch.
BATCHED_FLAGS  := --seed 0 --mnist $(MNIST) --eval-train 5000 $(if $(QUICK),--limit 2000)
CH3_b16        := --epochs $(BATCHED_EPOCHS) --batch 16 --lr 0.8
CH3_b8         := --epochs $(BATCHED_EPOCHS) --batch 8 --lr 0.4
CH3_scaled     := --epochs 1 --batch 16 --lr 0.16

CH3      := $(B)/03-batched
CH3_NAMES := b16 b8 scaled
CH3_RUNS := $(foreach r,$(CH3_NAMES),$(CH3)/runs/$r/done)
$(foreach r,$(CH3_NAMES),$(eval $(CH3)/runs/$r/done: $(call settings,03-batched/runs/$r,$(BATCHED_FLAGS) $(CH3_$r))))
$(CH3_RUNS): $(CH3)/runs/%/done: $(call program,03-batched/batched) $(MNIST)/.verified
	$(call run_one,03-batched: $*,$(CH3)/batched $(BATCHED_FLAGS) $(CH3_$*) --out $(@D).tmp)

# The chapter's folder: the runs (without their time.txt, which the colophon counts once, in runs/), the first
# epoch of the two main runs' loss curves (figure 3.1: its axis ends where the epoch does, in a QUICK build too),
# the gradient check, and chapter 2's curve and results.
$(CH3)/out/done: $(CH3_RUNS) $(call program,03-batched/batched) $(B)/02-vector/out/done \
                 $(call settings,03-batched/out,$(CH3_NAMES)) chapters/03-batched/chapter.mk
	$(call run_into,03-batched,\
	  for r in $(CH3_NAMES); do cp -r $(CH3)/runs/$$r $$OUT/$$r && rm $$OUT/$$r/time.txt; done; \
	  for r in b16 b8; do n=$$(sed -n 's/^n_train //p' $$OUT/$$r/results.txt); \
	    awk -v n=$$n 'NR == 1 || $$2 <= n' $$OUT/$$r/train_loss.tsv > $$OUT/$$r/first_epoch.tsv; done; \
	  $(call gradcheck,$(CH3)/batched --gradcheck --out $$OUT/gradcheck); \
	  cp $(B)/02-vector/out/train_loss.tsv $$OUT/vector_train_loss.tsv; \
	  cp $(B)/02-vector/out/results.txt $$OUT/vector.txt)
