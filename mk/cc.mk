# mk/cc.mk — compiling: the base flags once, one link command, the shared code and the two tools.
# Included by the Makefile; every program, tool, test, fuzzer and valgrind build links with $(call link,...).

CC      ?= cc
WARN     = -Wall -Wextra -pedantic -Wshadow -Wno-unused-parameter
BASE_CFLAGS = -std=c11 -D_DEFAULT_SOURCE $(WARN) -Isrc
CFLAGS  ?= -O3 -march=native
PKGS     = cairo libcmark openblas
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LDLIBS   = -lm

# $(call link,FLAGS,INPUTS): compile and link INPUTS (.c and .o) into the target. Every program, tool, test,
# fuzzer and valgrind build of the project is made by this one command.
define link
@mkdir -p $(@D)
$(CC) $1 $(BASE_CFLAGS) $(PKG_CFLAGS) $2 -o $@ $(PKG_LIBS) $(LDLIBS)
endef

# ----- the shared code and the tools --------------------------------------------------------------

# A tool is src/TOOL.c (its pipeline and main) with its stages in src/TOOL_*.c; every other file of src/ is
# shared code, linked into every program.
TOOLS    := weave plot serve student
tool_src  = $(wildcard src/$1.c src/$1_*.c)
LIB_SRC  := $(filter-out $(foreach t,$(TOOLS),$(call tool_src,$t)),$(wildcard src/*.c))
LIB_OBJ  := $(LIB_SRC:src/%.c=$(B)/obj/%.o)
LIB_HDR  := $(wildcard src/*.h)
.SECONDARY: $(LIB_OBJ)

$(B)/obj/%.o: src/%.c $(LIB_HDR) | $(DEPS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(BASE_CFLAGS) $(PKG_CFLAGS) -c $< -o $@

# The weaver and the plotter run for milliseconds: -O1 compiles them in a third of the time -O3 takes.
# A tool's own libraries: the preview server's HTTP library.
TOOL_LIBS_serve := -lmicrohttpd
$(B)/tools/%: $$(call tool_src,$$*) $(LIB_OBJ) $(LIB_HDR) | $(DEPS)
	$(call link,$(CFLAGS) -O1,$(call tool_src,$*) $(LIB_OBJ) $(TOOL_LIBS_$*))

WEAVE := $(B)/tools/weave
PLOT  := $(B)/tools/plot
SERVE := $(B)/tools/serve
tools: $(WEAVE) $(PLOT) $(SERVE) $(B)/tools/student ## build the weaver, the plotter, the preview server, the student tool
