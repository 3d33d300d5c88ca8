# Bisik — one GNU Makefile.
#
#   make            build build/bisikd, its image helper build/bisik-media
#                   and build/bisik (hardened)
#   make run        install missing packages, build, make a demo data dir, serve
#   make test       install missing packages, build (also with ASan/UBSan), run
#                   every test; ends with "N passed, N failed, N skipped"
#   make fuzz       run every libFuzzer target for FUZZ_SECONDS each (600)
#   make bench      benchmarks against the machine's own ceilings (a few
#                   minutes; BENCH_FULL=1 adds the million-case figures)
#   make install    install the programs, man pages, systemd unit and data
#                   under DESTDIR/PREFIX (/usr/local)
#
# MODE=release (default) or MODE=asan selects the flags; BUILD the output dir.
# Each step prints one short line ("CC build/server/http.o"); V=1 prints the
# whole commands.

MODE	?= release
ifeq ($(MODE),asan)
BUILD	?= build-asan
else
BUILD	?= build
endif

CC	?= cc
ARCH	:= $(shell uname -m)

# ---- output: one line per step, or the commands with V=1 --------------------
# $(call say,TAG,NAME) is a recipe line of its own; $(Q) prefixes commands.
V	?= 0
ifeq ($(V),1)
Q	=
say	= @:
else
Q	= @
say	= @printf '%-4s %s\n' '$(1)' '$(2)'
endif

# Every build, the fuzzers' included (clang 14 knows each of these).
WARN	= -std=c17 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -Wformat=2 -Wshadow \
	  -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wcast-qual \
	  -Wpointer-arith
PKGS	= libmicrohttpd libsodium jansson libcurl
DEPCFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
INC	= -I. $(DEPCFLAGS)

# Flags for one source file only, in every build (release, asan, fuzz,
# tests): CFLAGS_<path> = .... libvips (image re-encoding without metadata)
# brings about 25 include directories, so only the files that include its
# headers get them: the image helper build/bisik-media (bisikd never links
# libvips, server/media.h) and the test that makes and reads images.
VIPS_CFLAGS := $(shell pkg-config --cflags vips 2>/dev/null)
CFLAGS_server/media_image.c = $(VIPS_CFLAGS)
CFLAGS_tests/unit/server_attach_test.c = $(VIPS_CFLAGS)
# bisikd reads holidays-*.csv from the installed data directory at start
# (server/config.c, srv_config_holidays_load): a new year needs no rebuild.
CFLAGS_server/config.c = -DSRV_SHARE_DIR='"$(DATADIR)"'

ifeq ($(MODE),asan)
# pattern: a local read before it is written holds 0xFE.. bytes, so a
# cleanup path that frees stack garbage crashes every time, not by luck.
OPT	= -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	  -fno-omit-frame-pointer -ftrivial-auto-var-init=pattern
LDOPT	= -fsanitize=address,undefined
else
# _FORTIFY_SOURCE=3 (gcc 12, glibc 2.34 and later) also checks copies into
# buffers whose size is known only at run time (malloc(n)), which 2 does not.
OPT	= -O2 -g -D_FORTIFY_SOURCE=3 -fstack-protector-strong \
	  -fstack-clash-protection -fPIE -ftrivial-auto-var-init=zero
ifeq ($(ARCH),x86_64)
OPT	+= -fcf-protection
endif
LDOPT	= -pie -Wl,-z,relro,-z,now,-z,noexecstack
endif

CFLAGS	+= $(WARN) $(OPT) $(INC) -pthread -MMD -MP
LDFLAGS	+= $(LDOPT) -pthread

LIB_SODIUM  = -lsodium
LIB_JANSSON = -ljansson
LIB_LMDB    = -llmdb
LIB_MHD     = -lmicrohttpd
LIB_CURL    = -lcurl
# TOTP (RFC 6238) and its enrolment QR code (server only)
LIB_OATH    = -loath
LIB_QR      = -lqrencode
LIB_VIPS   := $(shell pkg-config --libs vips 2>/dev/null)
# seccomp allow-lists of `bisikd serve` (server/confine.c) and of the image
# helper's workers (server/media_confine.c)
LIB_SECCOMP = -lseccomp
# Unicode normalisation for duplicate detection (core/minhash.c): every
# program that links core/ links it
LIB_UTF8    = -lutf8proc
# CRC-32 of the case export ZIP (server/zip.c)
LIB_Z       = -lz

CRYPTO_SRC = $(wildcard crypto/*.c)
STORE_SRC  = $(wildcard store/*.c)
CORE_SRC   = $(wildcard core/*.c)
# The image helper's own sources; server/media_wire.c (the frames),
# server/sandbox.c (the seccomp filter) and server/log.c (log lines, with
# the two files of core/ its time stamps need) are in both programs.
MEDIA_SRC  = server/media_main.c server/media_image.c server/media_confine.c
SERVER_SRC = $(filter-out $(MEDIA_SRC),$(wildcard server/*.c))
CLIENT_SRC = $(wildcard client/*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

CRYPTO_OBJ = $(call obj,$(CRYPTO_SRC))
STORE_OBJ  = $(call obj,$(STORE_SRC))
CORE_OBJ   = $(call obj,$(CORE_SRC))
# core/fsdir.c (a directory's fsync) is the one piece of core/ that store/
# and crypto/ use (docs/design.md, "Modules"): their tests link it too.
FSDIR_OBJ  = $(call obj,core/fsdir.c)
SERVER_OBJ = $(call obj,$(SERVER_SRC)) $(BUILD)/obj/gen/holidays.o \
	     $(BUILD)/obj/gen/static.o
CLIENT_OBJ = $(call obj,$(CLIENT_SRC))
MEDIA_OBJ  = $(call obj,$(MEDIA_SRC) server/media_wire.c server/sandbox.c \
	     server/log.c core/caseref.c core/calendar.c)
# server/ objects minus main, for tests and fuzzers that need server parsers
SERVER_LIB_OBJ = $(filter-out $(BUILD)/obj/server/main.o,$(SERVER_OBJ))

UNIT_SRC   = $(wildcard tests/unit/*_test.c)
UNIT_BIN   = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))

.PHONY: all deps run test check unit asan fuzz fuzz-build bench clean install
.DEFAULT_GOAL := all

# The programs `make` builds and `make install` installs.
PROGRAMS = $(BUILD)/bisikd $(BUILD)/bisik-media $(BUILD)/bisik

all: $(PROGRAMS)

# COMPILE and LINK are whole recipe lines; $(CFLAGS_$<) adds a file's own.
COMPILE	= $(Q)$(CC) $(CFLAGS) $(CFLAGS_$<) -c $< -o $@
LINK	= $(Q)$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CC,$(@:$(BUILD)/obj/%=$(BUILD)/%))
	$(COMPILE)

# The shipped holiday lists (share/holidays-*.csv) are built into bisikd;
# a new year's decree is a new CSV file in the installed DATADIR (or the
# "holidays_dir" config key), read at start, or the "holidays" config key.
HOLIDAY_CSV = $(sort $(wildcard share/holidays-*.csv))
$(BUILD)/gen/holidays.c: $(HOLIDAY_CSV) Makefile
	@mkdir -p $(dir $@)
	$(call say,GEN,$@)
	$(Q){ echo '/* generated from share/holidays-*.csv; do not edit */'; \
	  echo '#include <stddef.h>'; \
	  echo 'extern const char *const srv_shipped_holidays[];'; \
	  echo 'const char *const srv_shipped_holidays[] = {'; \
	  cat $(HOLIDAY_CSV) | grep -E '^[0-9]{4}-[0-9]{2}-[0-9]{2},' | \
	    cut -d, -f1 | sed 's/.*/\t"&",/'; \
	  echo '\tNULL'; echo '};'; } > $@
$(BUILD)/obj/gen/holidays.o: $(BUILD)/gen/holidays.c
	@mkdir -p $(dir $@)
	$(call say,CC,$(@:$(BUILD)/obj/%=$(BUILD)/%))
	$(COMPILE)

# The web pages' static files (server/static/) are built into bisikd as
# byte arrays srv_static_<name>[] and srv_static_<name>_len (pages_static.c).
STATIC_FILES = server/static/bisik.css server/static/pow.js \
	       server/static/ikon.svg server/static/review.js \
	       server/static/bisik.js
%/gen/static.c: $(STATIC_FILES) Makefile
	@mkdir -p $(dir $@)
	$(call say,GEN,$@)
	$(Q){ echo '/* generated from server/static/; do not edit */'; \
	  echo '#include <stddef.h>'; \
	  for f in $(STATIC_FILES); do \
	    n=$$(basename $$f | tr '.-' '__'); \
	    echo "extern const unsigned char srv_static_$$n[];"; \
	    echo "extern const size_t srv_static_$${n}_len;"; \
	    echo "const unsigned char srv_static_$$n[] = {"; \
	    od -An -v -tx1 $$f | sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	    echo '0x00 };'; \
	    echo "const size_t srv_static_$${n}_len = $$(wc -c < $$f);"; \
	  done; } > $@
$(BUILD)/obj/gen/static.o: $(BUILD)/gen/static.c
	@mkdir -p $(dir $@)
	$(call say,CC,$(@:$(BUILD)/obj/%=$(BUILD)/%))
	$(COMPILE)

# What each program links besides its objects.
LIBS_SERVER = $(LIB_MHD) $(LIB_LMDB) $(LIB_JANSSON) $(LIB_SODIUM) $(LIB_OATH) \
	      $(LIB_QR) $(LIB_SECCOMP) $(LIB_UTF8) $(LIB_Z)
LIBS_MEDIA  = $(LIB_VIPS) $(LIB_SECCOMP)
LIBS_CLIENT = $(LIB_CURL) $(LIB_JANSSON) $(LIB_SODIUM) $(LIB_UTF8)

$(BUILD)/bisikd: $(SERVER_OBJ) $(CORE_OBJ) $(STORE_OBJ) $(CRYPTO_OBJ)
	$(call say,LD,$@)
	$(LINK) $(LIBS_SERVER)

# bisikd starts it from its own directory (server/media.c)
$(BUILD)/bisik-media: $(MEDIA_OBJ)
	$(call say,LD,$@)
	$(LINK) $(LIBS_MEDIA)

$(BUILD)/bisik: $(CLIENT_OBJ) $(CORE_OBJ) $(CRYPTO_OBJ)
	$(call say,LD,$@)
	$(LINK) $(LIBS_CLIENT)

# Unit tests are named after their module (tests/unit/<module>_*_test.c) and
# link that module and what it depends on, so one module's tests build while
# another module is being changed. Each writes its dependency file beside
# itself (tap.h and every header it includes).
TESTLINK = $(Q)$(CC) $(CFLAGS) $(CFLAGS_$<) -MF $@.d -MT $@ $(LDFLAGS) -o $@ $< \
	   $(filter %.o,$^)
$(BUILD)/tests/crypto_%: tests/unit/crypto_%.c $(CRYPTO_OBJ) $(FSDIR_OBJ)
	@mkdir -p $(dir $@)
	$(call say,CCLD,$@)
	$(TESTLINK) $(LIB_SODIUM)
$(BUILD)/tests/store_%: tests/unit/store_%.c $(STORE_OBJ) $(CRYPTO_OBJ) $(FSDIR_OBJ)
	@mkdir -p $(dir $@)
	$(call say,CCLD,$@)
	$(TESTLINK) $(LIB_LMDB) $(LIB_SODIUM)
$(BUILD)/tests/core_%: tests/unit/core_%.c $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(call say,CCLD,$@)
	$(TESTLINK) $(LIB_JANSSON) $(LIB_UTF8)
$(BUILD)/tests/server_%: tests/unit/server_%.c $(SERVER_LIB_OBJ) $(CORE_OBJ) $(STORE_OBJ) $(CRYPTO_OBJ)
	@mkdir -p $(dir $@)
	$(call say,CCLD,$@)
	$(TESTLINK) $(LIBS_SERVER) $(TEST_VIPS)
# The attachment test runs the image helper (build/bisik-media) and also
# makes and reads images itself with libvips.
$(BUILD)/tests/server_attach_test: $(BUILD)/bisik-media
$(BUILD)/tests/server_attach_test: private TEST_VIPS = $(LIB_VIPS)
$(BUILD)/tests/client_%: tests/unit/client_%.c $(filter-out $(BUILD)/obj/client/main.o,$(CLIENT_OBJ)) $(CORE_OBJ) $(CRYPTO_OBJ)
	@mkdir -p $(dir $@)
	$(call say,CCLD,$@)
	$(TESTLINK) $(LIBS_CLIENT) $(TEST_SERVER)
# The client's check of attachments is compared with the server's own
# (server/attach.c), so that test links the server's objects too.
$(BUILD)/tests/client_attach_test: $(SERVER_LIB_OBJ) $(STORE_OBJ)
$(BUILD)/tests/client_attach_test: private TEST_SERVER = $(LIBS_SERVER)

# What root on the server can do, as a program, for the hostile-operator
# end-to-end test (tests/e2e/e2e_hostile_escrow.sh); not a test itself.
$(BUILD)/tests/hostile_tool: tests/e2e/hostile_tool.c $(filter-out $(BUILD)/obj/client/main.o,$(CLIENT_OBJ)) $(CORE_OBJ) $(STORE_OBJ) $(CRYPTO_OBJ)
	@mkdir -p $(dir $@)
	$(TESTLINK) $(LIB_CURL) $(LIB_JANSSON) $(LIB_LMDB) $(LIB_SODIUM) $(LIB_UTF8)

# A holder that cheats in a dealerless ceremony, for tests/e2e/e2e_dkg.sh:
# a deal with one wrong sub-share, signed with the holder's real key.
$(BUILD)/tests/dkg_tool: tests/e2e/dkg_tool.c $(filter-out $(BUILD)/obj/client/main.o,$(CLIENT_OBJ)) $(CORE_OBJ) $(CRYPTO_OBJ)
	@mkdir -p $(dir $@)
	$(TESTLINK) $(LIBS_CLIENT)

unit: $(UNIT_BIN) $(BUILD)/tests/hostile_tool $(BUILD)/tests/dkg_tool

deps:
	@sh scripts/deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/demo.sh

# The whole suite: release build, sanitizer build, fuzzer build, then
# tests/run.sh which prints the closing "N passed, N failed, N skipped" line.
# The three builds share one pool of TEST_JOBS compiler jobs (the machine's
# cores; a -j given to make itself wins): the sanitizer build runs beside
# the release build, and the fuzzer build follows the release build, whose
# build/bisik-media it links to (two makes must never write one file).
TEST_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
test: deps
	@sh scripts/browser-deps.sh
	@$(MAKE) --no-print-directory $(if $(filter -j%,$(MAKEFLAGS)),,-j$(TEST_JOBS)) test-build
	@sh tests/run.sh

.PHONY: test-build test-build-release test-build-asan test-build-fuzz
test-build: test-build-release test-build-asan test-build-fuzz
test-build-release:
	@$(MAKE) --no-print-directory all unit
test-build-asan:
	@$(MAKE) --no-print-directory MODE=asan all unit
test-build-fuzz: test-build-release
	@$(MAKE) --no-print-directory fuzz-build

check: test

# ---- fuzzing (clang libFuzzer) ---------------------------------------------
# Library objects are built once with -fsanitize=fuzzer-no-link; each target
# in tests/fuzz/fuzz_*.c links them with the libFuzzer driver.
FUZZ_CC	  ?= clang
FUZZ_DIR  = build-fuzz
FUZZ_SRC  = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN  = $(patsubst tests/fuzz/%.c,$(FUZZ_DIR)/%,$(FUZZ_SRC))
FUZZ_LIBSRC = $(CORE_SRC) $(CRYPTO_SRC) $(filter-out server/main.c,$(SERVER_SRC)) $(STORE_SRC) \
	      server/media_image.c
FUZZ_OBJ  = $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(FUZZ_LIBSRC))
FUZZ_OBJ += $(FUZZ_DIR)/obj/gen/static.o
FUZZ_SAN  = -fsanitize=address,undefined -fno-sanitize-recover=all
# pattern, as in MODE=asan: a read of a local never written crashes at once.
FUZZ_CFLAGS = $(WARN) -g -O1 $(FUZZ_SAN) $(INC) -pthread \
	  -ftrivial-auto-var-init=pattern -DBISIK_FUZZ -MMD -MP
FUZZ_SECONDS ?= 600
FUZZ_COMPILE = $(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(CFLAGS_$<) $(FUZZ_CFLAGS_$<) \
	       -fsanitize=fuzzer-no-link -c $< -o $@
# clang's -Wextra (not gcc's) flags libseccomp's own SCMP_A0() macro, which
# leaves a field of the initializer to zero on purpose.
FUZZ_CFLAGS_server/sandbox.c = -Wno-missing-field-initializers

# fuzz_routes re-encodes images with the image helper of this build
fuzz-build: $(FUZZ_BIN) $(BUILD)/bisik-media
# Named only in pattern rules, these would count as intermediate and be
# deleted after each link.
.SECONDARY: $(FUZZ_OBJ) $(FUZZ_DIR)/gen/static.c

$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CC,$(@:$(FUZZ_DIR)/obj/%=$(FUZZ_DIR)/%))
	$(FUZZ_COMPILE)
$(FUZZ_DIR)/obj/gen/static.o: $(FUZZ_DIR)/gen/static.c
	@mkdir -p $(dir $@)
	$(call say,CC,$(@:$(FUZZ_DIR)/obj/%=$(FUZZ_DIR)/%))
	$(FUZZ_COMPILE)

$(FUZZ_DIR)/%: tests/fuzz/%.c $(FUZZ_OBJ)
	@mkdir -p $(dir $@)
	$(call say,CCLD,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(CFLAGS_$<) -MF $@.d -MT $@ \
	    -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) $(FUZZ_EXTRA) $(LIBS_SERVER) \
	    $(LIB_VIPS)
# fuzz_client* drive the client's handling of server answers: client/
# minus main, and libcurl, which those objects name.
FUZZ_CLIENT_OBJ = $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(filter-out client/main.c,$(CLIENT_SRC)))
.SECONDARY: $(FUZZ_CLIENT_OBJ)
FUZZ_CLIENT_BIN = $(filter $(FUZZ_DIR)/fuzz_client%,$(FUZZ_BIN))
$(FUZZ_CLIENT_BIN): $(FUZZ_CLIENT_OBJ)
$(FUZZ_CLIENT_BIN): private FUZZ_EXTRA = $(FUZZ_CLIENT_OBJ) $(LIBS_CLIENT)

fuzz: deps fuzz-build
	@for f in $(FUZZ_BIN); do \
	    n=$$(basename $$f); mkdir -p tests/fuzz/corpus/$$n; \
	    echo "fuzz: $$n for $(FUZZ_SECONDS) s"; \
	    $$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	        tests/fuzz/corpus/$$n || exit 1; \
	done

# Benchmark tools that drive the server's own code without HTTP.
$(BUILD)/bench/%: bench/%.c $(SERVER_LIB_OBJ) $(CORE_OBJ) $(STORE_OBJ) $(CRYPTO_OBJ)
	@mkdir -p $(dir $@)
	$(call say,CCLD,$@)
	$(TESTLINK) $(LIBS_SERVER)

bench: deps
	@$(MAKE) --no-print-directory all $(BUILD)/bench/fill \
	    $(BUILD)/bench/sealed_bodies
	@sh bench/run.sh

# ---- install ---------------------------------------------------------------
# The layout contrib/ assumes: bisikd.service runs $(PREFIX)/bin/bisikd (the
# unit's ExecStart is rewritten to BINDIR), bisik-media beside it (bisikd
# finds its helper in its own directory), man pages for man(1), and the
# shipped data (the holiday lists built into bisikd, read again at start
# with any newer year's list put beside them, and the
# starter directory for `bisikd agency import`) in $(PREFIX)/share/bisik.
PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
DATADIR	?= $(PREFIX)/share/bisik
UNITDIR	?= $(PREFIX)/lib/systemd/system
INSTALL	?= install

install: all
	$(call say,INST,$(DESTDIR)$(PREFIX))
	$(Q)$(INSTALL) -d -m 0755 $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(DATADIR) $(DESTDIR)$(UNITDIR)
	$(Q)$(INSTALL) -m 0755 $(PROGRAMS) $(DESTDIR)$(BINDIR)/
	$(Q)$(INSTALL) -m 0644 contrib/bisik.1 $(DESTDIR)$(MANDIR)/man1/
	$(Q)$(INSTALL) -m 0644 contrib/bisikd.8 $(DESTDIR)$(MANDIR)/man8/
	$(Q)$(INSTALL) -m 0644 share/agencies.csv $(HOLIDAY_CSV) $(DESTDIR)$(DATADIR)/
	$(Q)sed 's|/usr/local/bin/bisikd|$(BINDIR)/bisikd|' contrib/bisikd.service \
	    > $(DESTDIR)$(UNITDIR)/bisikd.service.tmp
	$(Q)chmod 0644 $(DESTDIR)$(UNITDIR)/bisikd.service.tmp
	$(Q)mv $(DESTDIR)$(UNITDIR)/bisikd.service.tmp $(DESTDIR)$(UNITDIR)/bisikd.service

clean:
	rm -rf build build-asan build-fuzz

-include $(wildcard $(BUILD)/obj/*/*.d $(BUILD)/tests/*.d $(BUILD)/bench/*.d \
	$(FUZZ_DIR)/obj/*/*.d $(FUZZ_DIR)/*.d)
