# Appendix B, the colophon: what built this copy of the book, measured by colophon.sh after every other chapter
# has run (so it reruns whenever one of them does, and never on a prose edit).
COLOPHON_AFTER := $(foreach ch,$(filter-out 00-% 91-colophon,$(CHAPTERS)),$(B)/$(ch)/out/done)

$(B)/91-colophon/out/done: $(COLOPHON_AFTER) $(B)/toc.tsv $(MNIST)/.verified chapters/91-colophon/colophon.sh \
                           chapters/91-colophon/chapter.mk tools/mnist.sha256
	@echo "== recording 91-colophon"
	@rm -rf $(@D).tmp && mkdir -p $(@D).tmp
	@chapters/91-colophon/colophon.sh $(B) $(B)/toc.tsv $(MNIST) "$(CC)" "$(CFLAGS)" "$(QUICK)" $(@D).tmp
	@touch $(@D).tmp/done && rm -rf $(@D) && mv $(@D).tmp $(@D)
