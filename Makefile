# BoostBarcode: `make train predict` trains on the built-in synthetic dataset and reads its test split;
# `make test` runs the tests. Every target installs libxgboost-dev and libpng-dev when missing.
#
# Bring your own data: make train predict report DATA=/path/to/DATASET   (holding Train/ and Test/)

DATA        ?= data/synth
MODELS      ?= models
ANSWER      ?= answer.csv
REPORT_JSON ?= report.json
REPORT_PNG  ?= report.png
TRAIN_ARGS  ?= --augment-copies 1 --rounds 40
SYNTH_ARGS  ?= --train 5000 --test 1000 --seed 0
# The shipped model's training world (models/README.md): the first generator's, a fifth in soft focus,
# every code with a manufacturer of its own.
SHIPPED_SYNTH_ARGS := --train 10000 --test 0 --seed 0 --no-hard-cases --soft-focus 0.2 --companies any
SHIPPED_DATA ?= data/shipped
FUZZ_SECONDS ?= 60
EVAL_REPEATS ?= 3
FUZZ_TARGETS := png-loader png-rows jpeg-loader markup-reader model-reader localizer

SWIFT_FLAGS := -c release
BIN         := .build/release/boostbarcode
DEFAULT_DATA := data/synth

.PHONY: all deps build train shipped-model train-distributed predict report test synth ablation eval-real eval-detect eval-read eval-unseen fuzz clean
all: train predict

deps:
	@scripts/ensure-deps

build: deps
	swift build $(SWIFT_FLAGS) --product boostbarcode

# The default dataset is generated on first use; a dataset you name must already exist.
$(DEFAULT_DATA)/Train/markup.csv: | build
	$(BIN) synth --out $(DEFAULT_DATA) $(SYNTH_ARGS)

synth: $(DEFAULT_DATA)/Train/markup.csv

ifeq ($(DATA),$(DEFAULT_DATA))
train: $(DEFAULT_DATA)/Train/markup.csv
train-distributed: $(DEFAULT_DATA)/Train/markup.csv
predict: $(DEFAULT_DATA)/Train/markup.csv
ablation: $(DEFAULT_DATA)/Train/markup.csv
parity: $(DEFAULT_DATA)/Train/markup.csv
bench: $(DEFAULT_DATA)/Train/markup.csv
eval-detect: $(DEFAULT_DATA)/Train/markup.csv
eval-read: $(DEFAULT_DATA)/Train/markup.csv
endif

train: build
	$(BIN) train --data $(DATA)/Train --models $(MODELS) $(TRAIN_ARGS)

# models/ as shipped: its own training world (SHIPPED_SYNTH_ARGS), then `train` as above (about 16 min).
$(SHIPPED_DATA)/Train/markup.csv: | build
	$(BIN) synth --out $(SHIPPED_DATA) $(SHIPPED_SYNTH_ARGS)

shipped-model: build $(SHIPPED_DATA)/Train/markup.csv
	$(BIN) train --data $(SHIPPED_DATA)/Train --models models $(TRAIN_ARGS)

# The same training by WORKERS local processes and XGBoost's rabit tracker (docs/DISTRIBUTED.md):
# the validation images are the same whatever WORKERS, and worker 0 writes the model.
WORKERS      ?= 2
DIST_TIMEOUT ?= 86400
train-distributed: build
	@scripts/ensure-tracker
	scripts/train-distributed --workers $(WORKERS) --bin $(BIN) --timeout $(DIST_TIMEOUT) -- \
	    --data $(DATA)/Train --models $(MODELS) $(TRAIN_ARGS)

predict: build
	$(BIN) predict --data $(DATA)/Test --models $(MODELS) --out $(ANSWER)

report: build
	$(BIN) report --truth $(DATA)/Test/markup.csv --answer $(ANSWER) --json $(REPORT_JSON) --png $(REPORT_PNG)

# The README's feature/decoding ablation: one model per preset, exact and jittered test quads (about an hour).
ablation: build
	scripts/ablation $(DATA) ablation

# The real photos of ../shared/real-ean13 with their checked quads, beside zbar and zxing-cpp (skipped when absent).
REAL ?= ../shared/real-ean13
eval-real: build
	scripts/eval-real $(MODELS) $(REAL) eval-real

# The whole reader on photos without quads: detection and end-to-end reading on the Test split, then the
# real photos of $(REAL) (skipped when absent) beside zbar and zxing-cpp (scripts/setup-peers installs them;
# a missing one is skipped), each timed EVAL_REPEATS times in turn. Writes eval-detect/summary.md (the
# README's table) and summary.json. EVAL_DETECT_ARGS=--real-only leaves out the Test split (about an hour).
EVAL_DETECT_ARGS ?=
eval-detect: build
	scripts/setup-peers
	python=scripts/.venv-peers/bin/python; [ -x $$python ] || python=python3; \
	$$python scripts/eval-detect.py --bin $(BIN) --models $(MODELS) --data $(DATA) --real $(REAL) --out eval-detect \
	    --repeats $(EVAL_REPEATS) $(EVAL_DETECT_ARGS)

# boostbarcode read on the real photos as PNG and as JPEG quality 85, its throughput on 1 and 2 threads
# over the Test split's photos, and a cold start (scripts/eval-read.py; writes eval-read/summary.md).
eval-read: build
	scripts/setup-peers
	python=scripts/.venv-peers/bin/python; [ -x $$python ] || python=python3; \
	$$python scripts/eval-read.py --bin $(BIN) --models $(MODELS) --real $(REAL) --photos $(DATA)/Test/Images \
	    --out eval-read --repeats $(EVAL_REPEATS)

# A second synthetic evaluation set, fixed (settings and seed) before any tuning on the wider world and
# kept out of every choice of threshold: read end to end, without quads (docs/SYNTH.md, "The unseen set").
UNSEEN      := data/unseen
UNSEEN_ARGS := --train 0 --test 1000 --seed 20261202
$(UNSEEN)/Test/markup.csv: | build
	$(BIN) synth --out $(UNSEEN) $(UNSEEN_ARGS)

eval-unseen: build $(UNSEEN)/Test/markup.csv
	$(BIN) predict --images $(UNSEEN)/Test/Images --truth $(UNSEEN)/Test/markup.csv --models $(MODELS) \
	    --out unseen-answer.csv

# The tests run optimized, in a build folder of their own (testable imports change every module's
# flags): unoptimized, the defocus reader's fits made CI's run take 964 s; optimized, the tests take 21 s.
test: deps
	@scripts/ensure-tracker
	swift test -c release --build-path .build-test

# libFuzzer targets (fuzz/*.swift, AddressSanitizer), one after the other, each FUZZ_SECONDS on one core.
fuzz: deps
	@for target in $(FUZZ_TARGETS); do scripts/fuzz $$target $(FUZZ_SECONDS) || exit 1; done

clean:
	rm -rf .build .build-test .build-fuzz unseen-answer.csv $(ANSWER) $(REPORT_JSON) $(REPORT_PNG) answer.readings.csv eval-detect eval-read

# Parity and benchmark against the notebook's Python path (bench/RESULTS.md); minutes, not part of CI.
# They set up bench/.venv (pinned, XGBoost 1.7.4) and bench/.venv-newest themselves.
BENCH_ARGS  ?=
PARITY_ARGS ?=
.PHONY: parity bench
parity: build
	bench/setup-venvs
	bench/.venv/bin/python bench/parity.py --bin $(BIN) --data $(DATA) $(PARITY_ARGS)

bench: build
	bench/setup-venvs --newest
	bench/.venv/bin/python bench/bench.py --bin $(BIN) --data $(DATA) $(BENCH_ARGS)
