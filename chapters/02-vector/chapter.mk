# Chapter 2: one epoch of per-sample SGD on MNIST, evaluated on the validation set every 5 000 images (about
# two seconds in all); the same program once more with --dense on fewer images, to measure what skipping the zero
# pixels saves (dense.txt); and the gradient check. QUICK=1 (the end-to-end test) trains on 2 000 images only.
VECTOR_FLAGS := --epochs 1 --lr 0.01 --seed 0 $(if $(QUICK),--limit 2000 --eval-every 500,--eval-every 5000)
VECTOR_DENSE := --epochs 1 --lr 0.01 --seed 0 --limit $(if $(QUICK),500,10000)

VECTOR := $(B)/02-vector/vector
$(B)/02-vector/out/done: $(call program,02-vector/vector) $(MNIST)/.verified \
                         $(call settings,02-vector/out,$(VECTOR_FLAGS) / $(VECTOR_DENSE)) chapters/02-vector/chapter.mk
	$(call run_into,02-vector,\
	  $(VECTOR) $(VECTOR_FLAGS) --mnist $(MNIST) --out $$OUT; \
	  $(VECTOR) $(VECTOR_DENSE) --dense --mnist $(MNIST) --out $$OUT/dense; \
	  mv $$OUT/dense/results.txt $$OUT/dense.txt && rm -r $$OUT/dense; \
	  $(call gradcheck,$(VECTOR) --gradcheck --out $$OUT))
