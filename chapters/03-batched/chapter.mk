# Chapter 3: the mini-batch program at batch sizes 16 and 8 with the same rate per image (0.05 x B), one epoch
# at batch size 16 with chapter 2's per-image rate scaled by 16, and the gradient check. Chapter 2's per-sample
# loss curve and results are copied in beside them for the comparison. Seed 0, as chapter 2: the same initial
# network and the same order of images. QUICK=1 (the end-to-end test): 2 epochs on the first 2 000 images.
BATCHED_EPOCHS := $(if $(QUICK),2,10)
# The training loss after each epoch on the first 10 000 training images: all 55 000 would cost half an epoch.
BATCHED_FLAGS  := --seed 0 --mnist $(MNIST) --eval-train 10000 $(if $(QUICK),--limit 2000)

$(B)/03-batched/out/done: $(B)/03-batched/batched $(MNIST)/.verified $(B)/02-vector/out/done chapters/03-batched/chapter.mk
	$(call run_into,03-batched,\
	  $< $(BATCHED_FLAGS) --epochs $(BATCHED_EPOCHS) --batch 16 --lr 0.8 --out $$OUT/b16; \
	  $< $(BATCHED_FLAGS) --epochs $(BATCHED_EPOCHS) --batch 8 --lr 0.4 --out $$OUT/b8; \
	  $< $(BATCHED_FLAGS) --epochs 1 --batch 16 --lr 0.16 --out $$OUT/scaled; \
	  $< --gradcheck --out $$OUT/gradcheck; \
	  cp $(B)/02-vector/out/train_loss.tsv $$OUT/vector_train_loss.tsv; \
	  cp $(B)/02-vector/out/results.txt $$OUT/vector.txt)
