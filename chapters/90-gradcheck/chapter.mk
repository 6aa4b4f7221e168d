# Appendix: gradient checks of every model version, each program run with --gradcheck.
$(B)/90-gradcheck/out/done: $(foreach p,01-scalar/scalar 02-vector/vector 03-batched/batched,$(call program,$p)) \
                            chapters/90-gradcheck/chapter.mk
	$(call run_into,90-gradcheck,\
	  $(call gradcheck,$(B)/01-scalar/scalar --gradcheck --out $$OUT/scalar); \
	  $(call gradcheck,$(B)/02-vector/vector --gradcheck --out $$OUT/vector); \
	  $(call gradcheck,$(B)/03-batched/batched --gradcheck --out $$OUT/batched))
